import type { ReactNode } from "react";

import { AlertIcon, CheckIcon, MailIcon } from "../../../components/icons";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";

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
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section className="stack status-page">
      <div className={`status-page__icon status-page__icon--${tone}`}>{ICONS[tone]}</div>
      <h1 className="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
