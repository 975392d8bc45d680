/**
 * The databases a run uses: a temporary SQLite file in DATA_DIR, or fresh PostgreSQL databases
 * created next to BENCH_DATABASE_URL and dropped afterwards. Also the bulk seeding of expired
 * shares for the sweeper scenario, straight into the shares table.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import pg from "pg";

/** A realistic tombstone-to-be: content sizes of a 100-byte secret. */
const SEED_CIPHERTEXT = randomBytes(133).toString("base64url");
const SEED_IV = randomBytes(12).toString("base64url");
const SEED_TOKEN_HASH = randomBytes(32).toString("base64url");

/**
 * @param {string} url
 * @param {string} name
 */
function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates `hl_bench_<random>` on the server of `adminUrl`; `drop()` removes it (forcing out any
 * connection a killed server left behind).
 * @param {string} adminUrl
 */
export async function createPostgresDatabase(adminUrl) {
  const name = `hl_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Inserts `count` active shares that expired between one hour and one day ago (inside the
 * 30-day tombstone window, so the sweeper destroys them and prunes none). The server must be
 * stopped (SQLite) and migrated.
 * @param {{dialect: "sqlite" | "postgres", dataDir: string, databaseUrl: string | null, count: number}} options
 * @returns {Promise<number>} ms taken
 */
export async function seedExpiredShares({ dialect, dataDir, databaseUrl, count }) {
  const started = performance.now();
  const now = Date.now();
  const newest = now - 3600_000;
  if (dialect === "sqlite") {
    const db = new SQLite(join(dataDir, "hushlink.sqlite"));
    const ROWS = 1000;
    const row = `(?, 'anyone', '${SEED_CIPHERTEXT}', '${SEED_IV}', '${SEED_TOKEN_HASH}', null, 0, 0, 0, 'active', ?, ?)`;
    const sql = (/** @type {number} */ n) =>
      `insert into shares (id, access, ciphertext, iv, view_token_hash, max_views, view_count,
        notify_on_view, allow_external_recipients, status, created_at, expires_at)
       values ${Array.from({ length: n }, () => row).join(",")}`;
    const full = db.prepare(sql(ROWS));
    const insertAll = db.transaction(() => {
      for (let start = 0; start < count; start += ROWS) {
        const n = Math.min(ROWS, count - start);
        const params = [];
        for (let i = start; i < start + n; i++) {
          const expiresAt = newest - (i % 82_800_000);
          params.push(`seed${i}`, expiresAt - 24 * 3600_000, expiresAt);
        }
        (n === ROWS ? full : db.prepare(sql(n))).run(params);
      }
    });
    insertAll();
    db.close();
  } else {
    const client = new pg.Client({ connectionString: /** @type {string} */ (databaseUrl) });
    await client.connect();
    try {
      await client.query(
        `insert into shares (id, access, ciphertext, iv, view_token_hash, max_views, view_count,
           notify_on_view, allow_external_recipients, status, created_at, expires_at)
         select 'seed' || g, 'anyone', $1, $2, $3, null, 0, 0, 0, 'active',
                $4::bigint - (g % 82800000) - 86400000, $4::bigint - (g % 82800000)
         from generate_series(0, $5::int - 1) g`,
        [SEED_CIPHERTEXT, SEED_IV, SEED_TOKEN_HASH, newest, count],
      );
      // A table that grew to this size in production has statistics (autovacuum analyzes it).
      await client.query("analyze shares");
    } finally {
      await client.end();
    }
  }
  return performance.now() - started;
}

/**
 * Counts shares by status, to check what a sweep did.
 * @param {{dialect: "sqlite" | "postgres", dataDir: string, databaseUrl: string | null}} options
 * @returns {Promise<Record<string, number>>}
 */
export async function countByStatus({ dialect, dataDir, databaseUrl }) {
  const query = "select status, count(*) as n from shares group by status";
  /** @type {{status: string, n: number | string}[]} */
  let rows;
  if (dialect === "sqlite") {
    const db = new SQLite(join(dataDir, "hushlink.sqlite"), { readonly: true });
    rows = /** @type {any[]} */ (db.prepare(query).all());
    db.close();
  } else {
    const client = new pg.Client({ connectionString: /** @type {string} */ (databaseUrl) });
    await client.connect();
    try {
      rows = (await client.query(query)).rows;
    } finally {
      await client.end();
    }
  }
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
