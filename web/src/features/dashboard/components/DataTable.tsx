import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { TableHead } from "./TableHead";

/**
 * A dashboard table of records: a caption for screen readers, a header per column and an
 * unlabelled Actions column last (left out with `actions={false}`, for a read-only log). At phone width `data-table--cards` turns each row into a card,
 * so every cell carries its own `data-label`. Rows are `tr.data-table__row` (refocus.ts finds
 * them); detail rows under one take another class.
 */
export interface DataTableProps {
  caption: string;
  columns: string[];
  /** An extra `data-table--…` class for one table's column widths. */
  modifier?: string;
  testId?: string;
  /** Whether rows end with an actions cell (true unless the table is read-only). */
  actions?: boolean;
}

export function DataTable({
  caption,
  columns,
  modifier,
  testId,
  actions = true,
  children,
}: DataTableProps & { /** The rows. */ children: ReactNode }) {
  return (
    <div className="data-table-wrap">
      <table
        className={`data-table data-table--cards${modifier ? ` data-table--${modifier}` : ""}`}
        data-testid={testId}
      >
        <TableHead caption={caption} columns={columns}>
          {actions && (
            <th scope="col">
              <span className="visually-hidden">
                <Trans>Actions</Trans>
              </span>
            </th>
          )}
        </TableHead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
