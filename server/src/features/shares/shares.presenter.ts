/**
 * What the API shows of a share, field by field: a whitelist over the stored row, so a new column
 * (a hash, an address, a key) never reaches an answer by accident.
 */
import { GCM_TAG_BYTES } from "@hushlink/protocol";

import type { ShareStatus } from "../../db/schema.js";
import type { RecipientRow } from "./recipients.repository.js";
import type { MetadataRow, ShareRow } from "./shares.repository.js";
import { viewsRemaining } from "./shares.reveal.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** Public metadata of a live share: what the link's page needs before Reveal. */
export function presentMetadata<Branding extends object>(
  row: MetadataRow,
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
    | "links_per_recipient"
  > & { creator_email: string | null },
  recipients: RecipientRow[],
  now: number,
  lastViews: Map<string, { at: number; ip: string | null; email: string | null }> = new Map(),
) {
  const links = recipients.flatMap((rc) => (rc.link ? [rc.link] : []));
  const perRecipient = r.links_per_recipient === 1;
  // Past its expiry but not yet swept is expired all the same.
  const statusOf = (status: ShareStatus, expiresAt: number) =>
    status === "active" && expiresAt <= now ? ("expired" as const) : status;
  let status = statusOf(r.status, r.expires_at);
  // A share whose every recipient link is gone reads as its links do: viewed if any was.
  if (perRecipient && status === "active" && links.every((l) => l.status !== "active")) {
    status = links.some((l) => l.status === "viewed") ? "viewed" : (links[0]?.status ?? status);
  }
  return {
    id: r.id,
    name: r.name,
    access: r.access,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    maxViews: r.max_views,
    // With a link per recipient, the views of all of them; each recipient's are in `recipients`.
    viewCount: perRecipient ? links.reduce((n, l) => n + l.viewCount, 0) : r.view_count,
    status,
    recipients: recipients.map((rc) => {
      if (!rc.link) return { email: rc.email, delivery: rc.delivery };
      const last = lastViews.get(rc.link.id);
      return {
        email: rc.email,
        delivery: rc.delivery,
        id: rc.id,
        status: statusOf(rc.link.status, rc.link.expiresAt),
        viewCount: rc.link.viewCount,
        maxViews: rc.link.maxViews,
        lastView: last
          ? { at: iso(last.at), ip: last.ip, ...(last.email ? { userEmail: last.email } : {}) }
          : null,
      };
    }),
    ...(perRecipient ? { linkPerRecipient: true as const } : {}),
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
