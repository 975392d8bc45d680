/**
 * SQLite: the lock after too many wrong passwords, for a share with files. The attempt that takes
 * the last try commits first (with its `wrong_password` entry, shares.reveal.ts); then the share's
 * chunks with bytes in main's rows are erased one per write (blobs/share-chunks.erase.ts), then
 * the share is destroyed as `locked` with its `locked` entry. Locking it in the attempt's statement
 * erased every chunk there, more WAL than the 2 MiB disk reserve (db/disk-reserve.ts): on a full
 * disk the last wrong password answered 503 and the share stayed.
 *
 * Between the two commits the share has no attempt left: a wrong password or none locks it (the
 * reveal's "another request used the last attempt"), and from the first erased chunk on it reads as
 * an unfinished upload, which nobody opens; a stop in between leaves it to the manage token's
 * delete or the unfinished-upload sweep, as share-chunks.erase.ts says.
 */
import type { Transact } from "../../db/database.js";
import * as repo from "./shares.repository.js";

export interface LockAfter {
  shareId: string;
  at: number;
  /** The `locked` entry's viewer, or null when another request's attempt already answered. */
  event: { shareId: string; at: number; ip: string | null; userId: string | null } | null;
}

/** Erases the share's stored chunks, then locks it; true if this call destroyed it. */
export async function lockWithFiles(
  lock: LockAfter,
  deps: { destroying: Transact; eraseFilesFirst: (shareId: string) => Promise<number> },
): Promise<boolean> {
  await deps.eraseFilesFirst(lock.shareId);
  return deps.destroying(async (trx) => {
    const { shareId: id, at } = lock;
    if (!(await repo.destroyShare(trx, { id, reason: "locked", at }))) return false;
    if (lock.event) await repo.addEvent(trx, { ...lock.event, type: "locked" });
    return true;
  });
}
