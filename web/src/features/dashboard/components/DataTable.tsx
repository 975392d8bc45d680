import type { ReactNode, Ref } from "react";

/**
 * A dashboard table of records: a caption for screen readers, a header per column and an
 * unlabelled Actions column last. At phone width `data-table--cards` turns each row into a card,
 * so every cell carries its own `data-label`. With `wrapRef` the wrapper can take focus, which
 * gives focus somewhere to go when the row whose button had it changes or disappears.
 */
export interface DataTableProps {
  caption: string;
  columns: string[];
  /** An extra `data-table--…` class for one table's column widths. */
  modifier?: string;
  testId?: string;
  wrapRef?: Ref<HTMLDivElement>;
}

export function DataTable({
  caption,
  columns,
  modifier,
  testId,
  wrapRef,
  children,
}: DataTableProps & { /** The rows. */ children: ReactNode }) {
  return (
    <div className="data-table-wrap" ref={wrapRef} tabIndex={wrapRef ? -1 : undefined}>
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
