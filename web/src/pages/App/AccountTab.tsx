import type { TabProps } from "./tabs";

export function AccountTab(_props: TabProps) {
  return null;
}
