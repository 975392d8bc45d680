import type { ReactNode } from "react";

import { TableHead } from "./TableHead";

/**
 * A read-only log as a table (a share's access log, a webhook endpoint's deliveries): a caption
 * for screen readers and a header per column. Inside a `data-table--cards` row at phone width the
 * header is hidden and each cell shows its `data-label`, so callers label their cells with the
 * same words as `columns`.
 */
export function LogTable({
  caption,
  columns,
  className,
  children,
}: {
  caption: string;
  columns: string[];
  /** A further class for one log's column widths. */
  className?: string;
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <table className={className ? `access-log ${className}` : "access-log"}>
      <TableHead caption={caption} columns={columns} />
      <tbody>{children}</tbody>
    </table>
  );
}
