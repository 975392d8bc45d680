import type { ReactNode } from "react";

import { formatDate } from "../../../lib/format";
import { formatShortDate } from "../format";

/**
 * A moment as the dashboard's tables write it ("26 Nov, 14:05"), machine-readable in `dateTime`;
 * `full` also gives the whole date on hover, where the short one may leave out the year.
 */
export function ShortDate({ at, full = false }: { at: string; full?: boolean }) {
  return (
    <time dateTime={at} title={full ? formatDate(at) : undefined}>
      {formatShortDate(at)}
    </time>
  );
}

/** A table cell holding one moment; `label` heads it on phones, where a row's cells stack. */
export function DateCell({ label, at, full }: { label: string; at: string; full?: boolean }) {
  return (
    <td data-label={label}>
      <ShortDate at={at} full={full} />
    </td>
  );
}

/**
 * The row heading of something its creator may leave unnamed (a share, a request): the name, or
 * `untitled` muted; `children` add lines under it.
 */
export function NameCell({
  name,
  untitled,
  children,
}: {
  name: string | null;
  untitled: string;
  children?: ReactNode;
}) {
  return (
    <th scope="row" className="data-table__name">
      {name ?? <span className="muted">{untitled}</span>}
      {children}
    </th>
  );
}
