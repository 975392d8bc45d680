import type { CursorPage } from "@hushlink/protocol";
import { useCallback, useState } from "react";

import { useLoaded } from "../../lib/use-loaded";
import { dashboardError } from "./errors";

/**
 * One page of a keyset-paged list, as the dashboard's list endpoints answer: the protocol's
 * cursor page, so a change there breaks the web's type check (issue 16).
 */
export type Page<T> = CursorPage<T>;

export type PagedList<T> =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  /** `at`: when the list was last loaded, to judge expiry against (not the render's clock). */
  | { kind: "ready"; items: T[]; nextCursor: string | null; at: number };

/**
 * A dashboard list read page by page with keyset cursors: the first page on mount and whenever
 * `fetchPage` changes (another organization), then one more page per `loadMore`. A failed further
 * page leaves the loaded rows as they are and reports in `moreError` instead. `fetchPage` must be
 * stable (useCallback); `onMore` hears how many rows a further page brought, to announce them.
 * A list the server answers whole (members, tokens) is one page: see `onePage`.
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  onMore: (count: number) => void = () => undefined,
) {
  const fetchFirst = useCallback(async (): Promise<PagedList<T>> => {
    try {
      const page = await fetchPage(null);
      return { kind: "ready", items: page.items, nextCursor: page.nextCursor, at: Date.now() };
    } catch (error) {
      return { kind: "failed", message: dashboardError(error) };
    }
  }, [fetchPage]);

  const [list, setList] = useLoaded<PagedList<T>>(fetchFirst, { kind: "loading" });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  /** The first page again; `fromScratch` shows the spinner meanwhile instead of the old rows. */
  async function reload(fromScratch = false) {
    if (fromScratch) setList({ kind: "loading" });
    setList(await fetchFirst());
  }

  async function loadMore() {
    if (list.kind !== "ready" || !list.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(list.nextCursor);
      setList({
        kind: "ready",
        items: [...list.items, ...page.items],
        nextCursor: page.nextCursor,
        at: Date.now(),
      });
      onMore(page.items.length);
    } catch (error) {
      setMoreError(dashboardError(error));
    } finally {
      setLoadingMore(false);
    }
  }

  /** Changes the loaded rows in place (one deleted, one's status changed) without a request. */
  function update(change: (items: T[]) => T[]) {
    setList((current) =>
      current.kind === "ready" ? { ...current, items: change(current.items) } : current,
    );
  }

  return { list, reload, loadMore, loadingMore, moreError, update };
}

export type PagedListHandle<T> = ReturnType<typeof usePagedList<T>>;

/** An answer with all the rows at once, as the only page of a list. */
export async function onePage<T>(answer: Promise<{ items: T[] }>): Promise<Page<T>> {
  return { items: (await answer).items, nextCursor: null };
}
