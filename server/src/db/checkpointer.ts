/**
 * SQLite's checkpoints off the event loop (issue 24). SQLite's automatic checkpoint runs inside
 * the COMMIT that takes the WAL past `wal_autocheckpoint` pages: on the only thread that serves
 * HTTP, it synced the WAL, copied its pages into the database file and synced that file. Under
 * the bench's creates that was every ~670 creates (about 1,000 pages), 13 times a second, and
 * no request moved while it ran (bench/README.md, eighteenth round): the create's p99.
 *
 * Here a worker thread with a connection of its own runs PASSIVE checkpoints, one at a time: once
 * CHECKPOINT_WRITES writes were committed since the last one began (about SQLite's 1,000 pages for
 * creates, so about as many pages are copied as before), or CHECKPOINT_IDLE_MS after a write when
 * fewer came. A passive checkpoint takes no write lock, so the groups go on committing on the
 * app's connection while it copies. Durability is SQLite's own: at synchronous = NORMAL a
 * checkpoint syncs the WAL before it copies a frame into the database file, and syncs that file
 * before the WAL may start over. The app's connection keeps an automatic checkpoint only as a
 * backstop, at WAL_BACKSTOP_PAGES (a WAL the worker could not keep up with: the WAL starts over
 * only once a checkpoint copied every frame, and under constant writes new frames come in while
 * one copies), and takes SQLite's default again if the worker fails.
 *
 * The worker starts only once writes come in fast (CHECKPOINT_WRITES within CHECKPOINT_IDLE_MS):
 * until then SQLite's own checkpoint is left as it was, so an idle server, one with a few writes
 * a second, and a test app have no thread more (idle RSS).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** The app connection's own automatic checkpoint while the worker runs: a backstop (32 MB). */
export const WAL_BACKSTOP_PAGES = 8_000;
/** SQLite's default, for the app's connection without a worker. */
export const WAL_DEFAULT_PAGES = 1_000;
/** Writes committed since the last checkpoint began that start the next one. */
export const CHECKPOINT_WRITES = 1_000;
/** How long after a write the worker checkpoints when fewer than CHECKPOINT_WRITES came. */
export const CHECKPOINT_IDLE_MS = 1_000;

/** What one checkpoint did: SQLite's `wal_checkpoint` row. */
export interface CheckpointResult {
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Of those, copied into the database file (all of them: the WAL starts over at the next write). */
  checkpointed: number;
}

// CommonJS, evaluated in the worker: better-sqlite3 is handed over by its resolved path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
db.pragma("wal_autocheckpoint = 0");
const checkpoint = db.prepare("pragma wal_checkpoint(PASSIVE)");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage(checkpoint.get());
});
`;

export interface Checkpointer {
  /** A group commit of `writes` writes committed and synced. */
  wrote(writes: number): void;
  /** Subscribes to finished checkpoints (tests); returns the unsubscribe. */
  onCheckpoint(listener: (result: CheckpointResult) => void): () => void;
  /** Stops the worker (after its checkpoint in progress); before the app's connection closes. */
  close(): Promise<void>;
}

/** Tests' timing: how long CHECKPOINT_WRITES may take to start the worker; its idle checkpoint's delay. */
export interface CheckpointTiming {
  windowMs?: number;
  idleMs?: number;
}

/**
 * `setAutocheckpoint` sets the app connection's `wal_autocheckpoint`: the backstop now, SQLite's
 * default again if the worker fails.
 */
export function createCheckpointer(
  file: string,
  setAutocheckpoint: (pages: number) => void,
  timing: CheckpointTiming = {},
): Checkpointer {
  const { windowMs = CHECKPOINT_IDLE_MS, idleMs = CHECKPOINT_IDLE_MS } = timing;
  let worker: Worker | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  // Writes committed since the last checkpoint began.
  let pending = 0;
  let closed = false;
  const listeners = new Set<(result: CheckpointResult) => void>();

  function failed() {
    // The app's connection checkpoints by itself again, as without a worker.
    closed = true;
    worker = null;
    setAutocheckpoint(WAL_DEFAULT_PAGES);
  }

  function start(): Worker {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const started = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file },
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    setAutocheckpoint(WAL_BACKSTOP_PAGES);
    // It never keeps the process alive; close() ends it.
    started.unref();
    started.on("message", (result: CheckpointResult) => {
      running = false;
      for (const listener of listeners) listener(result);
      next();
    });
    started.on("error", failed);
    return started;
  }

  function run() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (closed) return;
    pending = 0;
    try {
      (worker ??= start()).postMessage("checkpoint");
      running = true;
    } catch {
      failed();
    }
  }

  /** Now, after enough writes; a while after the last one, after fewer; else nothing. */
  function next() {
    if (closed || running) return;
    if (pending >= CHECKPOINT_WRITES) run();
    else if (worker === null && timer === null) {
      // No worker yet: the writes of a quiet second are forgotten, SQLite checkpoints them.
      timer = setTimeout(() => {
        timer = null;
        pending = 0;
      }, windowMs);
      timer.unref();
    } else if (pending > 0 && timer === null) {
      timer = setTimeout(run, idleMs);
      timer.unref();
    }
  }

  return {
    wrote(writes) {
      pending += writes;
      next();
    },
    onCheckpoint(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const stopping = worker;
      worker = null;
      if (!stopping) return;
      const exited = new Promise<void>((resolve) => stopping.once("exit", () => resolve()));
      stopping.postMessage("close");
      await exited;
    },
  };
}
