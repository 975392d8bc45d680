/**
 * The chunk file's thread (chunk-file-store.ts): its own better-sqlite3 connection to
 * `hushlink-chunks.sqlite`, so the file's writes, reads and syncs (six per commit in rollback
 * journal mode, bench/README.md nineteenth round) never hold the event loop that serves HTTP.
 * Messages are handled one at a time, in the order they were posted: a remove posted after a put
 * runs after it. A batch of puts is one transaction, synced (synchronous = FULL) before the
 * answer goes back, so the main database's row is written only once the bytes are durable.
 *
 * CommonJS, evaluated in the worker: better-sqlite3 is handed over by its resolved path.
 */
export const CHUNK_FILE_WORKER_SOURCE = `
const { MessageChannel, parentPort, workerData } = require("node:worker_threads");
// A chunk's memory freed as soon as it is written (as chunk-writer.ts does for downloads): posted
// in a transfer list to a closed port, which detaches and drops it. Left to the collector, the
// dead 1 MiB ArrayBuffers piled up to V8's external-memory trigger, about 64 MB.
const sink = new MessageChannel().port1;
sink.close();
const free = (memory) => {
  try {
    sink.postMessage(null, [memory]);
  } catch {
    // not transferable: the collector's
  }
};
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// Before the first table: a new file gets 64 KiB pages (16 per 1 MiB chunk, each written once).
db.pragma("page_size = 65536");
db.pragma("journal_mode = TRUNCATE");
db.pragma("synchronous = FULL");
db.pragma("secure_delete = ON");
db.pragma("busy_timeout = 5000");
// A small cache between transfers; a batch's dirty pages (a few MiB) stay unspilled until COMMIT.
db.pragma("cache_size = -2000");
db.pragma("cache_spill = " + workerData.spillPages);
db.exec(
  "create table if not exists chunks (owner text not null, blob text not null, n integer not null, " +
    "data blob not null, primary key (owner, blob, n))",
);
const put = db.prepare(
  "insert into chunks (owner, blob, n, data) values (?, ?, ?, ?) " +
    "on conflict (owner, blob, n) do update set data = excluded.data",
);
const get = db.prepare("select data from chunks where owner = ? and blob = ? and n = ?");
const removeOne = db.prepare("delete from chunks where owner = ? and blob = ? and n = ?");
const removeOwner = db.prepare("delete from chunks where owner = ?");
const keys = db.prepare("select owner, blob, n from chunks order by owner, blob, n");
const count = db.prepare("select count(*) as n from chunks where owner = ?");
const putAll = db.transaction((items) => {
  for (const i of items) put.run(i.owner, i.blob, i.n, Buffer.from(i.data, 0, i.length));
});
const keysOf = db.prepare("select owner, blob, n from chunks where owner = ?");
const removeList = db.transaction((list) => {
  for (const k of list) removeOne.run(k.owner, k.blob, k.n);
});
// One transaction; on a full disk, one chunk per transaction instead: the rollback journal then
// needs room for one chunk's pages (the disk reserve's 2 MiB), not for all of them.
const removeAll = (list) => {
  try {
    removeList(list);
  } catch (e) {
    if (!e || e.code !== "SQLITE_FULL") throw e;
    for (const k of list) removeOne.run(k.owner, k.blob, k.n);
  }
  return list.length;
};
// A put's slabs (the chunk route's, lent by its pool) go back with the answer, written or not,
// for the next bodies; a copy made for the put is freed here.
const slabsOf = (m) => (m.op === "put" ? m.items.filter((i) => i.lent).map((i) => i.data) : []);
const ops = {
  put(m) {
    try {
      putAll(m.items);
    } finally {
      for (const i of m.items) if (!i.lent) free(i.data);
    }
    return null;
  },
  get(m) {
    const row = get.get(m.owner, m.blob, m.n);
    if (!row) return null;
    const b = row.data;
    if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b.buffer;
    return new Uint8Array(b).buffer;
  },
  remove: (m) => removeAll(m.keys),
  removeOwner(m) {
    try {
      return removeOwner.run(m.owner).changes;
    } catch (e) {
      if (!e || e.code !== "SQLITE_FULL") throw e;
      return removeAll(keysOf.all(m.owner));
    }
  },
  keys: () => keys.all(),
  count: (m) => count.get(m.owner).n,
};
parentPort.on("message", (m) => {
  if (m.op === "close") {
    db.close();
    parentPort.close();
    return;
  }
  const slabs = slabsOf(m);
  try {
    const value = ops[m.op](m);
    const transfer = value instanceof ArrayBuffer ? [value, ...slabs] : slabs;
    parentPort.postMessage({ id: m.id, value, slabs }, transfer);
  } catch (e) {
    const error = { code: e && e.code, message: String(e && e.message) };
    parentPort.postMessage({ id: m.id, error, slabs }, slabs);
  }
});
`;
