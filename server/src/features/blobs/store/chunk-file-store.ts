/**
 * BLOB_STORE=database on SQLite: the chunk bytes in `hushlink-chunks.sqlite` beside the main
 * database (issue 17, bench/README.md nineteenth and twentieth rounds). In the main database's WAL
 * every chunk page was written twice (the WAL, then the checkpoint's copy, 4 KiB per syscall); the
 * chunk file is a rollback-journal database with 64 KiB pages, so each page is written once, and
 * the hot paths keep their 4 KiB pages.
 *
 * Two files cannot commit together safely (with a WAL on one side SQLite commits them one after
 * the other), so the order is the S3 store's: the bytes durable in the chunk file first (`put`),
 * then the row in main that says the chunk arrived, with an empty `data` as its mark (the share's
 * erase trigger deletes rows with data, so the marks go in the destroying transaction as the
 * bytes did). Deleting: the rows first, then the bytes (`removeOwner`, right after); anything the
 * second step missed (a crash in between, a refused chunk) has no row and is an orphan, which
 * `sweepOrphans` removes. A row that still holds its bytes (written before the chunk file) is read
 * from the row. Backups: main first, then this file (docs/deploy.md).
 *
 * The file has its own connection on a worker thread (chunk-file-worker.ts): its syncs stay off
 * the event loop. The PUTs that arrive while a batch commits are committed together in the next
 * one (at most BATCH_CHUNKS), one transaction and one round of syncs for all.
 *
 * Memory: the chunk route reads each body into a slab of this store's pool (`slabs`), which `put`
 * transfers to the thread as it is (no copy) and the thread sends back once written. At most
 * SLABS chunks are handed to the thread at once (a batch committing, the next one queued): a PUT
 * beyond that waits here, with its one body, until a batch is done. The bound is on whole bodies,
 * not on bodies being read: a client trickling its body holds no place another PUT needs.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

import { ENCRYPTED_CHUNK_BYTES } from "@hushlink/protocol";

import type { DiskReserve } from "../../../db/disk-reserve.js";
import { chunkData } from "../blobs.repository.js";
import { createSlabPool, type SlabPool } from "../slab-pool.js";
import type { BlobStore, ChunkKey, ChunkOwner, KnownChunks } from "./blob-store.js";
import { CHUNK_FILE_WORKER_SOURCE } from "./chunk-file-worker.js";

export const CHUNK_FILE = "hushlink-chunks.sqlite";
/** Chunks per transaction at most (the worker's dirty pages until COMMIT: about this many MiB). */
export const BATCH_CHUNKS = 4;
/** The worker connection's cache_spill, in 64 KiB pages: a whole batch (not a multiple of 256). */
const SPILL_PAGES = 160;
/** Chunk bodies lent at once: a batch committing and the next one filling (or being read). */
export const SLABS = 2 * BATCH_CHUNKS;

interface Item {
  owner: string;
  blob: string;
  n: number;
  /** The chunk's bytes: its first `length` bytes; a slab of the pool when `lent`. */
  data: ArrayBuffer;
  length: number;
  lent: boolean;
}

/**
 * Chunks queued for the thread or in its transaction, now and at most; PUTs waiting for room now,
 * and ever (a test's measure).
 */
export interface ChunkFileStats {
  queued: number;
  peakQueued: number;
  waiting: number;
  waited: number;
}

const ownerName = (o: ChunkOwner) => ("requestId" in o ? `r/${o.requestId}` : `s/${o.shareId}`);
const keyName = (k: ChunkKey) => `${ownerName(k)}|${k.blobId}|${k.n}`;
const ownerOfName = (name: string): ChunkOwner =>
  name.startsWith("r/") ? { requestId: name.slice(2) } : { shareId: name.slice(2) };

/** A copy of `bytes` in an ArrayBuffer of its own, to transfer (the body's slab is reused). */
function own(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}

export function createChunkFileStore(options: {
  /** The main SQLite database's file: the chunk file goes beside it. */
  mainFile: string;
  /** The server's disk reserve (db/disk-reserve.ts): room for a removal on a full disk. */
  reserve?: Pick<DiskReserve, "release" | "ensure"> | null;
}): BlobStore & {
  file: string;
  slabs: SlabPool;
  count(owner: ChunkOwner): Promise<number>;
  stats(): ChunkFileStats;
} {
  const file = join(dirname(options.mainFile), CHUNK_FILE);
  const slabs = createSlabPool(ENCRYPTED_CHUNK_BYTES, { kept: SLABS });
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; back?(slabs: ArrayBuffer[]): void }
  >();
  // Puts not yet in the chunk file's transaction, and whether one is committing.
  let queued: { item: Item; done: { resolve(): void; reject(e: Error): void } }[] = [];
  let committing = false;
  let inBatch = 0;
  let peakQueued = 0;
  // PUTs whose body is whole, waiting for the queue to have room (SLABS), first come first served.
  // A woken one holds its place (`reserved`) until it is in the queue.
  const roomWaiters: (() => void)[] = [];
  let reserved = 0;
  let waited = 0;
  // Keys put whose row is not yet written or refused (count per key), and, during an orphan
  // sweep, every key put since it began: the sweep spares both.
  const pending = new Map<string, number>();
  let seen: Set<string> | null = null;

  function failAll(error: Error) {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  }

  function start(): Worker {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const started = new Worker(CHUNK_FILE_WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file, spillPages: SPILL_PAGES },
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
    started.unref();
    type Answer = { id: number; value?: unknown; error?: { code?: string }; slabs?: ArrayBuffer[] };
    started.on("message", (m: Answer) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (!w) return;
      if (m.slabs) w.back?.(m.slabs);
      if (m.error) {
        const code = typeof m.error.code === "string" ? m.error.code : "SQLITE_ERROR";
        w.reject(Object.assign(new Error(`The chunk file failed: ${code}`), { code }));
      } else w.resolve(m.value);
    });
    started.on("error", (error) => {
      worker = null;
      failAll(
        Object.assign(new Error("The chunk file's thread failed."), {
          code: "SQLITE_IOERR",
          cause: error,
        }),
      );
    });
    started.on("exit", () => {
      if (worker === started) worker = null;
      failAll(Object.assign(new Error("The chunk file's thread ended."), { code: "SQLITE_IOERR" }));
    });
    return started;
  }

  function call<T>(
    message: Record<string, unknown>,
    transfer: ArrayBuffer[] = [],
    back?: (slabs: ArrayBuffer[]) => void,
  ): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve, reject, ...(back ? { back } : {}) });
      (worker ??= start()).postMessage({ ...message, id }, transfer);
    });
  }

  /** Commits what is queued (at most BATCH_CHUNKS) in one transaction, then the next batch. */
  function flush() {
    if (committing || queued.length === 0) return;
    const batch = queued.slice(0, BATCH_CHUNKS);
    queued = queued.slice(BATCH_CHUNKS);
    committing = true;
    inBatch = batch.length;
    const items = batch.map((b) => b.item);
    let back: ArrayBuffer[] = [];
    call(
      { op: "put", items },
      items.map((i) => i.data),
      (slabs) => (back = slabs),
    )
      .then(
        () => batch.forEach((b) => b.done.resolve()),
        (error: Error) => batch.forEach((b) => b.done.reject(error)),
      )
      .finally(() => {
        // The slots back, with the memory the thread sent back (none if the thread died).
        for (const i of items) if (i.lent) slabs.returned(back.pop() ?? null);
        committing = false;
        inBatch = 0;
        for (
          let room = SLABS - queued.length - reserved;
          room > 0 && roomWaiters.length > 0;
          room--
        ) {
          reserved++;
          roomWaiters.shift()!();
        }
        flush();
      });
  }

  /**
   * A removal. On a full disk (SQLITE_FULL) it runs again on the disk reserve's room, one chunk per
   * transaction (the worker's fallback): the rollback journal of one chunk needs about 1 MiB (its
   * 64 KiB pages, zeroed by secure_delete, are journaled first). The file keeps its size and each
   * commit truncates the journal, so the room is free again afterwards and the reserve is written
   * back at once (`ensure`), for the next destruction in main, which would otherwise find it
   * spent (aaf40d6 kept removals off the reserve for that; the bytes then stayed until the disk
   * had room).
   */
  async function removing(message: Record<string, unknown>): Promise<void> {
    try {
      await call(message);
      return;
    } catch (error) {
      if (!options.reserve || (error as { code?: string }).code !== "SQLITE_FULL") throw error;
    }
    options.reserve.release();
    try {
      await call(message);
    } finally {
      options.reserve.ensure();
    }
  }

  async function remove(keys: ChunkKey[]): Promise<void> {
    if (keys.length === 0) return;
    await removing({
      op: "remove",
      keys: keys.map((k) => ({ owner: ownerName(k), blob: k.blobId, n: k.n })),
    });
  }

  return {
    kind: "database",
    file,
    slabs,
    async put(key, bytes) {
      const name = keyName(key);
      pending.set(name, (pending.get(name) ?? 0) + 1);
      seen?.add(name);
      if (roomWaiters.length > 0 || queued.length + inBatch + reserved >= SLABS) {
        waited++;
        await new Promise<void>((resolve) => roomWaiters.push(resolve));
        reserved--;
      }
      // A body read into one of our slabs goes as it is; any other is copied.
      const slab = slabs.handOver(bytes);
      const item = {
        owner: ownerName(key),
        blob: key.blobId,
        n: key.n,
        data: slab ?? own(bytes),
        length: bytes.length,
        lent: slab !== null,
      };
      await new Promise<void>((resolve, reject) => {
        queued.push({ item, done: { resolve, reject } });
        peakQueued = Math.max(peakQueued, queued.length + inBatch);
        // The PUTs of this turn of the event loop join the batch.
        if (!committing) setImmediate(flush);
      });
      // The mark: an empty row says "in the chunk file" (no chunk is empty: each has its tag).
      return Buffer.alloc(0);
    },
    settled(key) {
      const name = keyName(key);
      const left = (pending.get(name) ?? 1) - 1;
      if (left > 0) pending.set(name, left);
      else pending.delete(name);
    },
    async get(db, key) {
      const inRow = await chunkData(db, key);
      // No row: not arrived, or gone. Bytes in the row: written before the chunk file existed.
      if (inRow === null || inRow.length > 0) return inRow;
      const bytes = await call<ArrayBuffer | null>({
        op: "get",
        owner: ownerName(key),
        blob: key.blobId,
        n: key.n,
      });
      return bytes ? Buffer.from(bytes) : null;
    },
    remove,
    async removeOwner(owner) {
      await removing({ op: "removeOwner", owner: ownerName(owner) });
    },
    async sweepOrphans(known: KnownChunks) {
      // No chunk file yet: nothing to sweep, and no thread started for it (idle RSS).
      if (seen || (worker === null && !existsSync(file))) return 0;
      seen = new Set(pending.keys());
      try {
        const rows = await call<{ owner: string; blob: string; n: number }[]>({ op: "keys" });
        const byOwner = new Map<string, { blob: string; n: number }[]>();
        for (const r of rows) byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r]);
        const orphans: ChunkKey[] = [];
        for (const [name, chunks] of byOwner) {
          const owner = ownerOfName(name);
          const rowsInMain = await known(owner);
          for (const c of chunks) {
            const key = { ...owner, blobId: c.blob, n: c.n };
            if (!rowsInMain.has(`${c.blob}/${c.n}`)) orphans.push(key);
          }
        }
        // Checked at the last moment: a put of the key since the sweep began keeps it.
        const sure = orphans.filter((k) => !seen!.has(keyName(k)));
        await remove(sure);
        return sure.length;
      } finally {
        seen = null;
      }
    },
    count: (owner) => call<number>({ op: "count", owner: ownerName(owner) }),
    stats: () => ({
      queued: queued.length + inBatch,
      peakQueued,
      waiting: roomWaiters.length,
      waited,
    }),
    async close() {
      const stopping = worker;
      worker = null;
      if (!stopping) return;
      const exited = new Promise<void>((resolve) => stopping.once("exit", () => resolve()));
      stopping.postMessage({ op: "close" });
      await exited;
    },
  };
}
