/**
 * Personal API tokens (SPEC F8): shown once, stored as a SHA-256 hash, prefixed hl_ so secret
 * scanners recognise a leaked one. Who may hold one is the routes' decision; making one needs a
 * recent proof of identity (recent-proof.ts), since a token outlives the session that made it.
 */
import type { ApiTokenScope } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import { NotFoundError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import type { ProofCaller, RecentProof } from "../auth/recent-proof.js";
import * as repo from "./tokens.repository.js";

/** Who makes a token: the owner, with what proves it is them, and the address to tell. */
export interface TokenCaller extends ProofCaller {
  user: { id: string; email: string };
}

export const API_TOKEN_PREFIX = "hl_";

const iso = (ms: number) => new Date(ms).toISOString();

export function createTokensService(deps: {
  database: DatabaseHandle;
  clock: Clock;
  mail: MailQueue;
  proof: Pick<RecentProof, "requireRecentProof">;
}) {
  const { database, clock, mail, proof } = deps;

  return {
    /**
     * The token itself is in this answer only; the database keeps its hash. The owner is mailed
     * in the same transaction (name, scope, expiry; never the token): one made with a stolen
     * session would otherwise go unnoticed until revoked.
     */
    async create(
      caller: TokenCaller,
      input: { name: string; scope?: ApiTokenScope; expiresIn?: number | null },
    ) {
      await proof.requireRecentProof(caller);
      const userId = caller.user.id;
      const id = newId();
      const token = `${API_TOKEN_PREFIX}${newToken()}`;
      const now = clock.now();
      const scope = input.scope ?? "full";
      const expiresAt = input.expiresIn == null ? null : now + input.expiresIn * 1000;
      await writeTransaction(database, async (trx) => {
        await repo.insertToken(trx, {
          id,
          user_id: userId,
          name: input.name,
          token_hash: hashToken(token),
          created_at: now,
          last_used_at: null,
          scope,
          expires_at: expiresAt,
        });
        await mail.enqueue(trx, {
          kind: "token_created",
          to: caller.user.email,
          data: { name: input.name, scope, createdAt: now, expiresAt },
        });
      });
      mail.kick?.();
      return { id, token, scope, expiresAt: expiresAt === null ? null : iso(expiresAt) };
    },

    async list(userId: string) {
      const rows = await repo.tokensOf(database.db, userId);
      const now = clock.now();
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: iso(t.created_at),
          lastUsedAt: t.last_used_at === null ? null : iso(t.last_used_at),
          scope: t.scope,
          expiresAt: t.expires_at === null ? null : iso(t.expires_at),
          expired: t.expires_at !== null && t.expires_at <= now,
        })),
      };
    },

    async revoke(userId: string, id: string) {
      if (!(await repo.deleteToken(database.db, userId, id)))
        throw new NotFoundError("token_not_found", "No such API token.");
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
