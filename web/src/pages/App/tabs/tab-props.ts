import type { Me, OrgMembership } from "../../../lib/session";

/** What every dashboard tab receives from the shell. Types only: tabs import this, not the registry. */
export interface TabProps {
  /** Who is signed in. */
  me: Me;
  /** The organization the dashboard shows (the user picks it when they belong to several). */
  org: OrgMembership;
  /** Reloads `me` (after verifying the address, leaving an organization, …). */
  refreshMe: () => Promise<void>;
}
