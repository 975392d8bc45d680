import type { ReactNode } from "react";

/**
 * A dashboard table of records: a caption for screen readers, a header per column and an
 * unlabelled Actions column last. At phone width `data-table--cards` turns each row into a card,
 * so every cell carries its own `data-label`. Rows are `tr.data-table__row` (refocus.ts finds
 * them); detail rows under one take another class.
 */
export interface DataTableProps {
  caption: string;
  columns: string[];
  /** An extra `data-table--…` class for one table's column widths. */
  modifier?: string;
  testId?: string;
}

export function DataTable({
  caption,
  columns,
  modifier,
  testId,
  children,
}: DataTableProps & { /** The rows. */ children: ReactNode }) {
  return (
    <div className="data-table-wrap">
      <table
        className={`data-table data-table--cards${modifier ? ` data-table--${modifier}` : ""}`}
        data-testid={testId}
      >
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
