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

/** The link an outcome offers to go on with (sign in, open the dashboard), shown as a button. */
export function OutcomeLink({
  href,
  primary = false,
  children,
}: {
  href: string;
  /** The outcome's main way on; otherwise one of several, or a way back. */
  primary?: boolean;
  children: ReactNode;
}) {
  return (
    <p>
      <a className={primary ? "button button--primary" : "button button--secondary"} href={href}>
        {children}
      </a>
    </p>
  );
}
