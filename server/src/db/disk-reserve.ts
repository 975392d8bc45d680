/**
 * The disk reserve (SQLite): a file of DISK_RESERVE_BYTES in DATA_DIR, written at start-up, given
 * back to the file system when a destruction fails on a full disk, and written again once there is
 * room. With secure_delete a DELETE writes zeroed pages into the WAL, so on a full disk it failed
 * with SQLITE_FULL like a create: a sender could not kill a link sent to the wrong person.
 *
 * The group commit (group-commit.ts) asks `refuseOthers()` before a write that is not a destruction
 * while the reserve is spent: the room freed for destructions is not taken by a create. A
 * destruction that fails with SQLITE_FULL gets the reserve (`release()`) and runs again, alone with
 * the other destructions of its group; `rescued()` then checkpoints (TRUNCATE: the WAL's room goes
 * back to the file system, and the destroyed bytes leave the files) and writes the reserve again.
 *
 * Why a file and not SQLite's own means: `journal_size_limit` only truncates the WAL after a
 * checkpoint (it frees room, it does not hold any for the next write), and SQLite does not
 * preallocate WAL frames (the WAL grows a frame at a time; SQLITE_FCNTL_SIZE_HINT/CHUNK_SIZE are
 * not reachable from better-sqlite3 and would hold the room inside the WAL, which the next create
 * would use). A file the server owns is the only room that nothing else writes into.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

import type { Logger } from "pino";

export const DISK_RESERVE_FILE = "hushlink.reserve";

/**
 * 2 MiB. Measured (disk-full.test.ts, bench/README.md): destroying the largest share the limits
 * allow (MAX_SECRET_BYTES at its 1 MiB maximum) with its access-log entry wrote WAL frames of
 * about 1.4 MB (its overflow pages zeroed, each a 4 KiB page and a 24-byte frame header, plus the
 * B-tree pages on the way); the default 64 KiB secret about 0.1 MB. A share's files in the
 * database store are erased before it, a chunk per write (features/blobs/share-chunks.erase.ts).
 */
export const DISK_RESERVE_BYTES = 2 * 1024 * 1024;

export type DiskReserveEvent = "released" | "restored" | "missing";

export interface DiskReserve {
  readonly file: string;
  readonly bytes: number;
  /** Whether the reserve file is in place, at its full size. */
  held(): boolean;
  /** Writes the reserve if it is not in place and the disk has room; whether it is in place. */
  ensure(): boolean;
  /** Gives the reserve back to the file system; false when it was already spent. */
  release(): boolean;
}

const CHUNK = Buffer.alloc(64 * 1024);

/** Room the file system has for an unprivileged writer, in bytes. */
function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

export function createDiskReserve(
  dir: string,
  options: { bytes?: number; onEvent?: (event: DiskReserveEvent) => void } = {},
): DiskReserve {
  const bytes = options.bytes ?? DISK_RESERVE_BYTES;
  const file = join(dir, DISK_RESERVE_FILE);
  const sizeOnDisk = () => {
    try {
      return statSync(file).size;
    } catch {
      return -1;
    }
  };
  let held = sizeOnDisk() === bytes;
  let told: DiskReserveEvent | null = null;
  const tell = (event: DiskReserveEvent) => {
    if (told === event) return;
    told = event;
    options.onEvent?.(event);
  };

  /** Real blocks (zeros written, not a sparse file), synced: room the file system owes nobody. */
  function write(): boolean {
    const partial = `${file}.partial`;
    let fd: number | null = null;
    try {
      fd = openSync(partial, "w", 0o600);
      for (let done = 0; done < bytes; done += CHUNK.length) {
        writeSync(fd, CHUNK, 0, Math.min(CHUNK.length, bytes - done));
      }
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(partial, file);
      return true;
    } catch {
      if (fd !== null) closeSync(fd);
      try {
        unlinkSync(partial);
      } catch {
        // never made
      }
      return false;
    }
  }

  const reserve: DiskReserve = {
    file,
    bytes,
    held: () => held,
    ensure() {
      if (held) return true;
      // A statfs per write while the reserve is spent, not a failed write of 2 MiB.
      if (freeBytes(dir) < bytes || !write()) {
        tell("missing");
        return false;
      }
      held = true;
      if (told !== null) tell("restored");
      return true;
    },
    release() {
      if (!held) return false;
      held = false;
      try {
        unlinkSync(file);
      } catch {
        // gone already: nothing to give back
      }
      tell("released");
      return true;
    },
  };
  return reserve;
}

/** What the server logs of its reserve (run.ts): a warning when it goes, a line when it is back. */
export function logDiskReserve(
  logger: Pick<Logger, "warn" | "info">,
  event: DiskReserveEvent,
): void {
  if (event === "released") {
    logger.warn(
      "disk full: the disk reserve was given back to the file system so that destructions are still written; other writes answer 503 until there is room for it again",
    );
  } else if (event === "missing") {
    logger.warn(
      { file: DISK_RESERVE_FILE, bytes: DISK_RESERVE_BYTES },
      "no room on the disk for the disk reserve in DATA_DIR: writes other than destructions answer 503 until there is",
    );
  } else {
    logger.info("disk reserve restored: every write is accepted again");
  }
}
