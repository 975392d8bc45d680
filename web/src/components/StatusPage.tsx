import type { HTMLAttributes, ReactNode } from "react";

import { useFocusOnMount } from "../lib/use-focus-on-mount";

export interface StatusPageProps extends Omit<HTMLAttributes<HTMLElement>, "title"> {
  /** Names the section after its heading. */
  headingId?: string;
  icon?: ReactNode;
  /** The icon's colour: `status-page__icon--{tone}`. */
  tone?: string;
  title: ReactNode;
  /**
   * Whether the heading takes focus when the page appears, because it replaced what the person
   * was working with (a form, a button). Left out, the heading is not focusable at all.
   */
  focus?: boolean;
  children: ReactNode;
}

/**
 * A page that is one message: a link gone, a request answered, a load that failed. One icon,
 * one heading, the text, and at most a button or link to go on with.
 */
export function StatusPage({
  headingId,
  icon,
  tone = "muted",
  title,
  focus,
  children,
  ...section
}: StatusPageProps) {
  const heading = useFocusOnMount<HTMLHeadingElement>(focus ?? false);
  return (
    <section className="stack status-page" aria-labelledby={headingId} {...section}>
      {icon && <div className={`status-page__icon status-page__icon--${tone}`}>{icon}</div>}
      <h1
        id={headingId}
        className="page-title"
        ref={focus === undefined ? undefined : heading}
        tabIndex={focus === undefined ? undefined : -1}
      >
        {title}
      </h1>
      {children}
    </section>
  );
}
