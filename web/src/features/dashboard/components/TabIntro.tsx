import type { ReactNode } from "react";

/** The top of a dashboard section: its heading (which names the section) and one line on it. */
export function TabIntro({
  headingId,
  title,
  children,
}: {
  headingId: string;
  title: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="tab-intro">
      <div>
        {/* Takes focus when a removal leaves the section without a row (refocus.ts). */}
        <h2 id={headingId} className="section-title" tabIndex={-1}>
          {title}
        </h2>
        <p className="field__hint">{children}</p>
      </div>
    </div>
  );
}
