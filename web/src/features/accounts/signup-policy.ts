/**
 * The operator's sign-up setting as the pages use it (SIGNUP, shown on GET /api/v1/config): with
 * `invite` an account can be created only through an invitation's link, so the pages offer
 * sign-up only on the way back to one; with `domains` they say which addresses may.
 */
import type { PublicConfig } from "@hushlink/protocol";

/** The invitation token when sign-up was reached from an invitation's page (`next`). */
export function invitationIn(next: string | null): string | undefined {
  const match = next === null ? null : /^\/invitations\/([^/?#]+)$/.exec(next);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Whether this server refuses a sign-up made from here (no invitation on the way). */
export function signupClosed(config: PublicConfig | null, next: string | null): boolean {
  return config?.signup?.mode === "invite" && invitationIn(next) === undefined;
}

/** "Addresses at example.com or example.org only." where sign-up is limited to domains. */
export function domainsHint(config: PublicConfig | null, next: string | null): string | null {
  const signup = config?.signup;
  if (signup?.mode !== "domains" || invitationIn(next) !== undefined) return null;
  const list = signup.domains;
  const names =
    list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
  return `Addresses at ${names} only.`;
}
