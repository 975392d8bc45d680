import type { ReactNode } from "react";

/** What a dashboard list shows before it has any rows: what will appear here, and how. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: ReactNode;
  title: string;
  /** One sentence on what appears here. */
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <div className="status-page__icon status-page__icon--muted">{icon}</div>
      {/* Takes focus when the list's last row was removed (refocus.ts). */}
      <h3 className="section-title" tabIndex={-1}>
        {title}
      </h3>
      <p className="field__hint">{children}</p>
      {action}
    </div>
  );
}
