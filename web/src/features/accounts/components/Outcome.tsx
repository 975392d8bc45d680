import type { ReactNode } from "react";

import { AlertIcon, CheckIcon, MailIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";

const ICONS = { success: <CheckIcon />, warning: <AlertIcon />, mail: <MailIcon /> };

/** The result of a one-shot action (confirmed, sent, joined…): icon, title with focus, text. */
export function Outcome({
  tone,
  title,
  children,
}: {
  tone: keyof typeof ICONS;
  title: string;
  children: ReactNode;
}) {
  return (
    <StatusPage icon={ICONS[tone]} tone={tone} title={title} focus>
      {children}
    </StatusPage>
  );
}
