/**
 * Recovery codes (SPEC F16): ten single-use codes that stand in for every second factor of an
 * account. Issued with its first factor (an authenticator app confirmed, or a first passkey) and
 * gone with its last; stored as SHA-256 (80 random bits each, so the hashes cannot be searched).
 */
import { randomInt } from "node:crypto";

import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";
import { hashToken } from "../../lib/tokens.js";
import * as repo from "./second-factor.repository.js";

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 without the letters people confuse (i, l, o, u). */
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Case, spaces and dashes do not matter in a recovery code. */
export const recoveryHash = (code: string) => hashToken(code.toLowerCase().replace(/[\s-]+/g, ""));

function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) code += "-";
    code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  }
  return code;
}

/** Ten new codes for the account; the old ones stop working in the same transaction. */
export async function issueRecoveryCodes(
  trx: Kysely<Database>,
  userId: string,
  now: number,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await repo.replaceRecoveryCodes(trx, { userId, hashes: codes.map(recoveryHash), now });
  return codes;
}
