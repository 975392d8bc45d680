import type { ReactNode } from "react";

import { useFocusOnMount } from "../../../lib/use-focus-on-mount";

/** The narrow card of the sign-in pages: a title, a lead and the form or the outcome. */
export function AuthCard({
  title,
  lead,
  children,
  footer,
  focusTitle = false,
}: {
  title: string;
  lead?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  /** Moves focus to the title (when this card replaced another view). */
  focusTitle?: boolean;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>(focusTitle);
  return (
    <div className="card card--narrow">
      <div className="page-intro">
        <h1 className="page-title" ref={heading} tabIndex={focusTitle ? -1 : undefined}>
          {title}
        </h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      {children}
      {footer && <div className="auth-footer">{footer}</div>}
    </div>
  );
}
