import type { ReactNode } from "react";

import { Loading } from "../../../components/Loading";
import type { PagedListHandle } from "../use-paged-list";
import { DataTable, type DataTableProps } from "./DataTable";
import { ListFailed } from "./ListFailed";
import { LoadMore } from "./LoadMore";

/**
 * A paged dashboard list in each of its states: the spinner, the failure (with Try again where
 * `onRetry` is given), the empty state, or the table with "Load more" under it while the server
 * has further pages. `renderRow` gets `at`, the time the list was loaded, for rows whose status
 * depends on the clock.
 */
export function PagedTable<T>({
  paged,
  loadingLabel,
  smallLoading = false,
  onRetry,
  empty,
  renderRow,
  ...table
}: DataTableProps & {
  paged: PagedListHandle<T>;
  loadingLabel: string;
  /** The short spinner, for a list below another section of the tab. */
  smallLoading?: boolean;
  onRetry?: () => void;
  empty: ReactNode;
  renderRow: (item: T, at: number) => ReactNode;
}) {
  const { list } = paged;
  if (list.kind === "loading") return <Loading small={smallLoading}>{loadingLabel}</Loading>;
  if (list.kind === "failed") return <ListFailed message={list.message} onRetry={onRetry} />;
  if (list.items.length === 0) return empty;
  return (
    <>
      <DataTable {...table}>{list.items.map((item) => renderRow(item, list.at))}</DataTable>
      {list.nextCursor && (
        <LoadMore
          busy={paged.loadingMore}
          error={paged.moreError}
          onLoad={() => void paged.loadMore()}
        />
      )}
    </>
  );
}
