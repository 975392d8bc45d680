/**
 * The organization's requests as `GET /api/v1/requests` lists them. A request's id is the
 * capability to answer it ("first submission wins"), so a plain member's list holds only their
 * own requests; an organization admin, who may delete any of them, lists every member's. A
 * member filtering by someone else (`creator=`) gets an empty list, not an error.
 */
import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { requestRef } from "../../lib/request-ref.js";
import { answerState } from "./requests.e2e.js";
import * as repo from "./requests.repository.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** Who lists: their user id, and whether they administer the organization. */
export interface Lister {
  id: string;
  admin: boolean;
}

export type ListFilters = NonNullable<Parameters<typeof repo.listOrgRequests>[1]["filters"]>;

export function createRequestList(deps: { database: Pick<DatabaseHandle, "db">; clock: Clock }) {
  /** The organization's unexpired requests the lister may see, newest first. */
  return async function list(
    orgId: string,
    lister: Lister,
    page: { cursor?: string | undefined; limit: number },
    filters: ListFilters = {},
  ) {
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (!lister.admin && filters.creatorId !== undefined && filters.creatorId !== lister.id)
      return { items: [], nextCursor: null };
    const rows = await repo.listOrgRequests(deps.database.db, {
      orgId,
      now: deps.clock.now(),
      limit: page.limit,
      after,
      filters: lister.admin ? filters : { ...filters, creatorId: lister.id },
    });
    const items = rows.slice(0, page.limit).map((r) => ({
      id: r.id,
      ref: requestRef(r.id),
      name: r.name,
      access: r.access,
      // An answer whose files are still arriving is not there yet (`uploading`).
      ...answerState(r),
      createdAt: iso(r.created_at),
      expiresAt: iso(r.expires_at),
      ...(r.submitted_at !== null ? { submittedAt: iso(r.submitted_at) } : {}),
      // Only the requester can reveal: the dashboard offers Reveal where this is true.
      mine: r.requester_id === lister.id,
      ...(r.public_key !== null ? { endToEnd: true } : {}),
    }));
    const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null };
  };
}
