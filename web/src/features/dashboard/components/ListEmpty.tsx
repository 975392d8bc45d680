import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { EmptyState } from "./EmptyState";
import { isFiltered, type ListFilterValue } from "./ListFilters";

/**
 * A filtered dashboard list with no rows: none match `filters` (says so, and how to see more:
 * ListFilters above it), or there are none yet (`title`, `children` and `action`, as EmptyState).
 */
export function ListEmpty({
  filters,
  icon,
  noMatches,
  title,
  action,
  children,
}: {
  filters: ListFilterValue;
  icon: ReactNode;
  /** The title while filters are set, e.g. "No secrets match". */
  noMatches: string;
  title: string;
  action?: ReactNode;
  /** One sentence on what appears here. */
  children: ReactNode;
}) {
  if (isFiltered(filters)) {
    return (
      <EmptyState icon={icon} title={noMatches}>
        <Trans>Change the search or the filters to see more.</Trans>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={icon} title={title} action={action}>
      {children}
    </EmptyState>
  );
}
