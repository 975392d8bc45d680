/**
 * SQLite: a share's chunks kept in the database erased before the share is destroyed, one chunk per
 * write. The trigger shares_erase_blob_chunks would erase them all in the statement that destroys
 * the share, and with secure_delete each freed page is zeroed through the WAL: a share with more
 * than about 1.5 MB of files needed more WAL than the disk reserve gives back on a full disk
 * (db/disk-reserve.ts), so its destruction answered 503. Erasing one chunk (1 MiB and its GCM tag)
 * with the server's pragmas wrote 1,071,232 bytes of WAL, inside the 2 MiB reserve; three in one
 * statement 3,188,912, so two would not fit: one chunk per write.
 *
 * Each write also counts its chunk off the share (and its recipients' links), in the same
 * transaction, so from the first one on the share reads as an unfinished upload: no reveal opens it
 * (viewAllowed wants every chunk in), a download answers 410 as for a deleted share
 * (blobs.service.ts, readable). A process stopped between two writes therefore leaves a share that
 * nobody can open with a chunk missing; the manage token's delete, or the unfinished-upload sweep
 * (24 h after its creation), destroys it. Callers run this only once the share is to be destroyed:
 * its deleter was authorized, or it has expired. PostgreSQL: nothing (its disk is its operator's).
 */
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import * as repo from "./share-files.repository.js";

/** Erases the share's chunks stored in the database; how many. */
export async function eraseStoredChunks(
  database: Pick<DatabaseHandle, "db" | "dialect">,
  shareId: string,
): Promise<number> {
  if (database.dialect !== "sqlite") return 0;
  let erased = 0;
  for (;;) {
    // Read outside a write: a share without stored chunks costs one lookup, no commit.
    const [next] = await repo.storedChunkKeys(database.db, { shareId, limit: 1 });
    if (!next) return erased;
    erased += await writeTransaction(database, (trx) => repo.eraseChunk(trx, shareId, next), {
      destroys: true,
    });
  }
}
