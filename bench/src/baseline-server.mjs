/**
 * The baselines, each its own process: what the stack itself can do on this machine.
 *
 * - Without BASELINE_SQLITE: a bare Fastify server (no plugins, no validation, no database) that
 *   answers a JSON POST with 201 and a 100-byte body.
 * - With BASELINE_SQLITE=<file>: the same bare Fastify plus the least database work a create and a
 *   reveal can do. POST /baseline/shares runs one prepared INSERT of the body's fields; POST
 *   /baseline/shares/:id/reveal one prepared conditional UPDATE … RETURNING (token matches, not
 *   expired, views left). The database is WAL with synchronous = NORMAL and nothing else: no
 *   fsync per commit (Hushlink syncs the WAL before every answer), no hashing, no validation, no
 *   event row, no logs or metrics. The honest upper limit of a route doing the same SQLite work.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });

// {"id":"…","expiresAt":"…","maxViews":null} padded to exactly 100 bytes, like a create answer.
const reply = { id: "x".repeat(22), expiresAt: new Date(0).toISOString(), maxViews: null, pad: "" };
reply.pad = "p".repeat(100 - Buffer.byteLength(JSON.stringify(reply)));
if (Buffer.byteLength(JSON.stringify(reply)) !== 100)
  throw new Error("baseline body is not 100 bytes");

app.get("/healthz", () => ({ status: "ok" }));
app.post("/baseline", async (_request, res) => res.status(201).send(reply));

const sqliteFile = process.env.BASELINE_SQLITE;
if (sqliteFile) {
  // Loaded only here, so the bare baseline's start-up and memory stay those of Fastify alone.
  const { default: SQLite } = await import("better-sqlite3");
  const db = new SQLite(sqliteFile);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`create table if not exists shares (
    id text primary key,
    view_token text not null,
    ciphertext text,
    iv text,
    max_views integer,
    view_count integer not null default 0,
    created_at integer not null,
    expires_at integer not null
  )`);
  const insert = db.prepare(
    `insert into shares (id, view_token, ciphertext, iv, max_views, created_at, expires_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const reveal = db.prepare(
    `update shares set view_count = view_count + 1
     where id = ? and view_token = ? and expires_at > ?
       and (max_views is null or view_count < max_views)
     returning ciphertext, iv, max_views, view_count`,
  );

  app.post("/baseline/shares", async (request, res) => {
    const b = /** @type {any} */ (request.body);
    const now = Date.now();
    const expiresAt = now + b.expiresIn * 1000;
    insert.run(b.id, b.viewToken, b.ciphertext, b.iv, b.maxViews, now, expiresAt);
    return res
      .status(201)
      .send({ id: b.id, expiresAt: new Date(expiresAt).toISOString(), maxViews: b.maxViews });
  });
  app.post("/baseline/shares/:id/reveal", async (request, res) => {
    const { id } = /** @type {{id: string}} */ (request.params);
    const { viewToken } = /** @type {any} */ (request.body);
    const row = /** @type {any} */ (reveal.get(id, viewToken, Date.now()));
    if (!row) return res.status(404).send({ error: { code: "not_found" } });
    return {
      ciphertext: row.ciphertext,
      iv: row.iv,
      viewsLeft: row.max_views === null ? null : row.max_views - row.view_count,
    };
  });
  app.addHook("onClose", () => {
    db.close();
    return Promise.resolve();
  });
}

await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 0) });
process.on("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
