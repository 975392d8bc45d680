/** Rows written straight through a repository, for suites that test the database layer itself. */
import type { Insertable } from "kysely";

import type { SharesTable } from "../../src/db/schema.js";

/** An anonymous one-view share with no password, expiring a minute from now. */
export function shareRow(id: string): Insertable<SharesTable> {
  const now = Date.now();
  return {
    id,
    org_id: null,
    creator_id: null,
    name: null,
    access: "anyone",
    ciphertext: "Y2lwaGVy",
    iv: "aXY",
    view_token_hash: "dmlldw",
    verifier_hash: null,
    kdf_m: null,
    kdf_t: null,
    kdf_p: null,
    manage_token_hash: "bWFuYWdl",
    max_views: 1,
    password_attempts_left: null,
    created_at: now,
    created_ip: null,
    expires_at: now + 60_000,
    gone_at: null,
    upload_token_hash: null,
  };
}
