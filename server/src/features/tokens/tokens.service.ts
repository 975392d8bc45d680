/**
 * Personal API tokens (SPEC F8): shown once, stored as a SHA-256 hash, prefixed hl_ so secret
 * scanners recognise a leaked one. Who may hold one is the routes' decision.
 */
import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { NotFoundError } from "../../errors.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import * as repo from "./tokens.repository.js";

export const API_TOKEN_PREFIX = "hl_";

const iso = (ms: number) => new Date(ms).toISOString();

export function createTokensService(deps: { database: Pick<DatabaseHandle, "db">; clock: Clock }) {
  const { database, clock } = deps;

  return {
    /** The token itself is in this answer only; the database keeps its hash. */
    async create(userId: string, name: string) {
      const id = newId();
      const token = `${API_TOKEN_PREFIX}${newToken()}`;
      await repo.insertToken(database.db, {
        id,
        user_id: userId,
        name,
        token_hash: hashToken(token),
        created_at: clock.now(),
        last_used_at: null,
      });
      return { id, token };
    },

    async list(userId: string) {
      const rows = await repo.tokensOf(database.db, userId);
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: iso(t.created_at),
          lastUsedAt: t.last_used_at === null ? null : iso(t.last_used_at),
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
