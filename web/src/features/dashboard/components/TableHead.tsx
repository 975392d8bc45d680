import type { ReactNode } from "react";

/**
 * The top of a dashboard table (DataTable, LogTable): its caption for screen readers and a header
 * per column, then any further header cells the table adds.
 */
export function TableHead({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: string[];
  /** Header cells after the columns (DataTable's unlabelled Actions). */
  children?: ReactNode;
}) {
  return (
    <>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {children}
        </tr>
      </thead>
    </>
  );
}
