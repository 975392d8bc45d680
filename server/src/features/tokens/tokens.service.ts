/**
 * Personal API tokens (SPEC F8): shown once, stored as a SHA-256 hash, prefixed hl_ so secret
 * scanners recognise a leaked one. Who may hold one is the routes' decision.
 */
import type { ApiTokenScope } from "@hushlink/protocol";

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
    async create(
      userId: string,
      input: { name: string; scope?: ApiTokenScope; expiresIn?: number | null },
    ) {
      const id = newId();
      const token = `${API_TOKEN_PREFIX}${newToken()}`;
      const now = clock.now();
      const scope = input.scope ?? "full";
      const expiresAt = input.expiresIn == null ? null : now + input.expiresIn * 1000;
      await repo.insertToken(database.db, {
        id,
        user_id: userId,
        name: input.name,
        token_hash: hashToken(token),
        created_at: now,
        last_used_at: null,
        scope,
        expires_at: expiresAt,
      });
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
