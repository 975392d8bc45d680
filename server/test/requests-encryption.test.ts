/**
 * Secret requests: values encrypted at rest, and root key rotation.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import { sql } from "kysely";
import { describe, expect, it } from "vitest";

import { buildApp } from "../src/app.js";
import { rewrapRequests } from "../src/features/requests/requests.rewrap.js";
import { openValue } from "../src/lib/data-keys.js";
import { rootKeyId } from "../src/lib/sealing.js";
import { signup } from "./helpers/accounts.js";
import { captureLogger, createTestApp, TEST_ROOT_KEY, testConfig } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  code,
  deleteRequest,
  newRequest,
  requestsSuite,
  revealRequest,
  submit,
} from "./helpers/requests.js";

describe.each(testDialects)("secret requests: encryption on %s", (dialect) => {
  const suite = requestsSuite(dialect);
  const { app: t, secret } = suite;

  describe("encryption at rest", () => {
    it("stores the value sealed under a per-value data key wrapped by the root key", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const value = secret("needle");
      expect((await submit(t.app, id, value)).statusCode).toBe(204);
      const row = await t.database.db
        .selectFrom("requests")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.key_id).toBe(rootKeyId(TEST_ROOT_KEY));
      expect(row.wrapped_key).toMatch(new RegExp(`^v1\\.${row.key_id}\\.`));
      expect(row.value_sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(JSON.stringify(row)).not.toContain(value);
      expect(JSON.stringify(row)).not.toContain(Buffer.from(value).toString("base64url"));
      expect(JSON.stringify(row)).not.toContain(Buffer.from(value).toString("base64"));

      // A sealed value moved to another request's row does not open there.
      const other = await newRequest(alice);
      expect((await submit(t.app, other.id, secret())).statusCode).toBe(204);
      await t.database.db
        .updateTable("requests")
        .set({ value_sealed: row.value_sealed, wrapped_key: row.wrapped_key })
        .where("id", "=", other.id)
        .execute();
      const moved = await revealRequest(alice, other.id);
      expect(moved.statusCode).toBe(500);
      expect(code(moved)).toBe("value_unreadable");
    });

    // Files on disk are SQLite's alone; on PostgreSQL the row check above is what applies.
    if (dialect === "sqlite") {
      it("the value is not in the SQLite files, and its sealed form leaves them on delete", async () => {
        const alice = await signup(t);
        const { id } = await newRequest(alice);
        const value = secret("plaintext-needle");
        expect((await submit(t.app, id, value)).statusCode).toBe(204);
        expect(json<{ value: string }>(await revealRequest(alice, id)).value).toBe(value);
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.database.db);
        const file = t.database.file!;
        const files = [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
        const disk = () => Buffer.concat(files.map((f) => readFileSync(f)));
        expect(disk().includes(Buffer.from(value))).toBe(false);

        const { value_sealed: sealed } = await t.database.db
          .selectFrom("requests")
          .select("value_sealed")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(disk().includes(Buffer.from(sealed!))).toBe(true);
        expect((await deleteRequest(alice, id)).statusCode).toBe(204);
        // The sweeper checkpoints after a destruction; secure_delete zeroed the freed bytes.
        await t.services.sweeper.runOnce();
        expect(disk().includes(Buffer.from(sealed!))).toBe(false);
      });
    }

    it("rotation: a retired root key still opens (and the reveal re-wraps); without it, 500 root_key_missing", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const value = secret();
      expect((await submit(t.app, id, value)).statusCode).toBe(204);

      const newKey = randomBytes(32);
      const logs: string[] = [];
      const build = async (env: Record<string, string>) => {
        const built = await buildApp({
          config: testConfig(env, t.testDb.dataDir),
          database: t.database,
          logger: captureLogger(logs),
          rootKey: newKey,
          clock: t.clock,
        });
        await built.app.ready();
        return built.app;
      };
      /** Alice's reveal on another instance: her session lives in the shared database. */
      const revealOn = (app: Awaited<ReturnType<typeof build>>) =>
        app.inject({
          method: "POST",
          url: `/api/v1/requests/${id}/reveal`,
          headers: alice.headers,
          payload: {},
        });

      // Alice's session works on every instance: it lives in the shared database.
      const withoutOld = await build({});
      try {
        const asAlice = await revealOn(withoutOld);
        expect(asAlice.statusCode).toBe(500);
        expect(asAlice.json()).toMatchObject({
          error: {
            code: "root_key_missing",
            message: expect.stringContaining(rootKeyId(TEST_ROOT_KEY)) as unknown,
          },
        });
        // The operator learns it from the log too: an error naming the key id, not the
        // "dependency unavailable" warning that docs/deploy.md reserves for 503s.
        const line = logs
          .map(
            (l) => JSON.parse(l) as { level: number; msg: string; code?: string; message?: string },
          )
          .find((l) => l.code === "root_key_missing");
        expect(line).toMatchObject({ level: 50, msg: "server error answered" });
        expect(line?.message).toContain(rootKeyId(TEST_ROOT_KEY));
      } finally {
        await withoutOld.close();
      }

      const rotated = await build({
        HUSHLINK_PREVIOUS_ROOT_KEYS: TEST_ROOT_KEY.toString("base64"),
      });
      try {
        const res = await revealOn(rotated);
        expect(res.statusCode).toBe(200);
        expect(json<{ value: string }>(res).value).toBe(value);
        const row = await t.database.db
          .selectFrom("requests")
          .select("key_id")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(row.key_id).toBe(rootKeyId(newKey));
        // New submissions are sealed under the new key.
        const fresh = await newRequest(alice);
        const submitted = await rotated.inject({
          method: "POST",
          url: `/api/v1/requests/${fresh.id}/submit`,
          payload: { value: secret() },
        });
        expect(submitted.statusCode).toBe(204);
        const freshRow = await t.database.db
          .selectFrom("requests")
          .select("key_id")
          .where("id", "=", fresh.id)
          .executeTakeFirstOrThrow();
        expect(freshRow.key_id).toBe(rootKeyId(newKey));
      } finally {
        await rotated.close();
      }
      // The old key alone no longer opens the re-wrapped value.
      expect((await revealRequest(alice, id)).statusCode).toBe(500);
    });
  });

  describe("root key rotation", () => {
    it("rewrapRequests moves every data key to the new root key; values stay untouched", async () => {
      // A database of its own: other tests leave values under other keys.
      const own = await createTestApp(dialect);
      try {
        const alice = await signup(own);
        const values = new Map<string, string>();
        for (let i = 0; i < 3; i++) {
          const { id } = await newRequest(alice);
          const value = secret(`rewrap${i}`);
          expect((await submit(own.app, id, value)).statusCode).toBe(204);
          values.set(id, value);
        }
        const ids = [...values.keys()];
        const before = await own.database.db
          .selectFrom("requests")
          .select(["id", "value_sealed"])
          .where("id", "in", ids)
          .execute();
        const newKey = randomBytes(32);

        // Without the old key nothing can be re-wrapped, and nothing changes.
        const blind = await rewrapRequests(own.database, [newKey], 2);
        expect(blind.rewrapped).toBe(0);
        expect(blind.unreadable[rootKeyId(TEST_ROOT_KEY)]).toBeGreaterThanOrEqual(3);

        const done = await rewrapRequests(own.database, [newKey, TEST_ROOT_KEY], 2);
        expect(done.currentKeyId).toBe(rootKeyId(newKey));
        expect(done.rewrapped).toBeGreaterThanOrEqual(3);
        expect(done.unreadable).toEqual({});
        const after = await own.database.db
          .selectFrom("requests")
          .select(["id", "value_sealed", "key_id", "wrapped_key", "submitted_at"])
          .where("key_id", "is not", null)
          .execute();
        expect(after.every((r) => r.key_id === rootKeyId(newKey))).toBe(true);
        for (const row of before) {
          const now = after.find((r) => r.id === row.id)!;
          expect(now.value_sealed).toBe(row.value_sealed);
          expect(
            openValue(
              newKey,
              { value: now.value_sealed!, wrappedKey: now.wrapped_key! },
              `hushlink/requests/${row.id}`,
            ),
          ).toBe(values.get(row.id));
        }
        // A second run has nothing left to do.
        expect((await rewrapRequests(own.database, [newKey, TEST_ROOT_KEY])).rewrapped).toBe(0);
      } finally {
        await own.close();
      }
    });
  });
});
