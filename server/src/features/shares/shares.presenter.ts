/**
 * What the API shows of a share, field by field: a whitelist over the stored row, so a new column
 * (a hash, an address, a key) never reaches an answer by accident.
 */
import { GCM_TAG_BYTES } from "@hushlink/protocol";

import type { DeliveryState } from "../../db/schema.js";
import type { ShareRow } from "./shares.repository.js";
import { viewsRemaining } from "./shares.reveal.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** Public metadata of a live share: what the link's page needs before Reveal. */
export function presentMetadata<Branding extends object>(
  row: ShareRow,
  extra: { branding: Branding | null; orgName: string | undefined },
) {
  return {
    ...(extra.branding ? { branding: extra.branding } : {}),
    ...(extra.orgName ? { orgName: extra.orgName } : {}),
    id: row.id,
    access: row.access,
    requiresPassword: row.verifier_hash !== null,
    ...(row.verifier_hash !== null && row.kdf_m !== null && row.kdf_t !== null && row.kdf_p !== null
      ? { kdf: { alg: "argon2id" as const, m: row.kdf_m, t: row.kdf_t, p: row.kdf_p } }
      : {}),
    expiresAt: iso(row.expires_at),
    viewsRemaining: viewsRemaining(row),
    ...(row.restrict_to_recipients ? { recipientsOnly: true } : {}),
    // Files still uploading (SPEC §3.1): a reveal answers 409 until every chunk is in.
    ready: row.chunks_stored >= row.chunks_total,
  };
}

/** One share of an organization's list, with a status as people read it. */
export function presentListItem(
  r: Pick<
    ShareRow,
    | "id"
    | "name"
    | "access"
    | "created_at"
    | "expires_at"
    | "max_views"
    | "view_count"
    | "status"
    | "restrict_to_recipients"
    | "blob_count"
    | "blob_bytes"
    | "chunks_total"
  > & { creator_email: string | null },
  recipients: { email: string; delivery: DeliveryState }[],
  now: number,
) {
  return {
    id: r.id,
    name: r.name,
    access: r.access,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    maxViews: r.max_views,
    viewCount: r.view_count,
    // Past its expiry but not yet swept is expired all the same.
    status: r.status === "active" && r.expires_at <= now ? ("expired" as const) : r.status,
    recipients,
    ...(r.restrict_to_recipients ? { recipientsOnly: true } : {}),
    // Admins see everyone's shares: say whose each one is.
    ...(r.creator_email ? { createdBy: r.creator_email } : {}),
    // The plaintext total is exact: every chunk adds one 16-byte tag (SPEC §3.1).
    ...(r.blob_count > 0
      ? { fileCount: r.blob_count, fileBytes: r.blob_bytes - GCM_TAG_BYTES * r.chunks_total }
      : {}),
  };
}

/** What an anonymous creator sees on the manage page; `expired` when found past its expiry. */
export function presentManageStatus(row: ShareRow, expired: boolean) {
  return {
    id: row.id,
    name: row.name,
    status: expired ? ("expired" as const) : row.status,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    maxViews: row.max_views,
    viewCount: row.view_count,
    goneAt: expired ? iso(row.expires_at) : row.gone_at === null ? null : iso(row.gone_at),
  };
}
