/**
 * A dashboard list's query (protocol's orgListQuery, `GET /api/v1/shares` and `/requests`) as the
 * page and the filters its service reads: one reading, so "me" and a blank search mean the same
 * in both lists.
 */
export function listPageAndFilters<Status>(
  query: {
    cursor?: string | undefined;
    limit: number;
    status?: Status | undefined;
    creator?: string | undefined;
    q?: string | undefined;
  },
  callerId: string,
) {
  const { cursor, limit, status, creator, q } = query;
  return {
    page: { cursor, limit },
    filters: {
      status,
      creatorId: creator === "me" ? callerId : creator,
      // An empty search (q= after trimming) filters nothing.
      ...(q ? { name: q } : {}),
    },
  };
}
