import type { TabProps } from "./tabs";

export function TokensTab(_props: TabProps) {
  return null;
}
