import type { TabProps } from "./tabs";

export function SharesTab(_props: TabProps) {
  return null;
}
