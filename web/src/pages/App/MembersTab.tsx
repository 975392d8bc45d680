import type { TabProps } from "./tabs";

export function MembersTab(_props: TabProps) {
  return null;
}
