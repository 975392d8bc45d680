/**
 * The answer columns of a request that nobody has answered: what a new request is written with,
 * and what one whose answer's files never all arrived goes back to (blobs/request-files, which
 * opens it again as if nothing had been submitted). One list, so a column added for answers is
 * cleared in both.
 */
import type { Updateable } from "kysely";

import type { RequestsTable } from "../../db/schema.js";

export const NO_ANSWER = {
  submitted_at: null,
  value_sealed: null,
  wrapped_key: null,
  key_id: null,
  ephemeral_public_key: null,
  answer_ciphertext: null,
  answer_iv: null,
  blob_count: 0,
  blob_bytes: 0,
  chunks_total: 0,
  chunks_stored: 0,
  upload_token_hash: null,
} as const satisfies Updateable<RequestsTable>;
