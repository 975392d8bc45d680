/**
 * SQLite: the chunks with bytes in main's rows of everything a deletion is about to destroy (an
 * organization, an account, expired requests), erased first, one chunk per write on the disk
 * reserve's room, as share-chunks.erase.ts does for one share. The statements that then destroy
 * the shares and requests delete only the chunk file's empty marks (chunk-file-store.ts), so they
 * fit the 2 MiB reserve on a full disk (db/disk-reserve.ts) however many files there were. Rows
 * hold bytes when they were written before the chunk file, or by a store that keeps them there.
 *
 * Callers run this only once the destruction is decided (the deleter proved who they are, the
 * requests have expired); a process stopped in between leaves shares and answers that read as
 * unfinished uploads, which the deletion's retry or the unfinished-upload sweep finishes.
 * PostgreSQL: nothing (its disk is its operator's).
 */
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import * as requestFiles from "./request-files.repository.js";
import { eraseStoredChunks } from "./share-chunks.erase.js";
import * as shareFiles from "./share-files.repository.js";

type Database = Pick<DatabaseHandle, "db" | "dialect">;

/** Erases the answer's chunks stored in main's rows; how many. */
export async function eraseStoredAnswerChunks(
  database: Database,
  requestId: string,
): Promise<number> {
  if (database.dialect !== "sqlite") return 0;
  let erased = 0;
  for (;;) {
    const next = await requestFiles.storedAnswerChunk(database.db, requestId);
    if (!next) return erased;
    erased += await writeTransaction(
      database,
      (trx) => requestFiles.eraseAnswerChunk(trx, requestId, next),
      { destroys: true },
    );
  }
}

/** An organization's, or a creator's (and requester's), shares and requests about to go. */
export type FilesScope = { orgId: string } | { userId: string };

/** Erases the stored chunks of the live shares and the requests of `scope`; how many. */
export async function eraseFilesOf(database: Database, scope: FilesScope): Promise<number> {
  if (database.dialect !== "sqlite") return 0;
  const shares = await shareFiles.liveSharesWithChunks(
    database.db,
    "orgId" in scope ? scope : { creatorId: scope.userId },
  );
  const requests = await requestFiles.requestsWithChunks(
    database.db,
    "orgId" in scope ? scope : { requesterId: scope.userId },
  );
  let erased = 0;
  for (const id of shares) erased += await eraseStoredChunks(database, id);
  for (const id of requests) erased += await eraseStoredAnswerChunks(database, id);
  return erased;
}

/** Erases the stored chunks of the requests expired by `now`, before the sweep deletes them. */
export async function eraseExpiredRequestFiles(database: Database, now: number): Promise<number> {
  if (database.dialect !== "sqlite") return 0;
  let erased = 0;
  for (const id of await requestFiles.requestsWithChunks(database.db, { expiredBy: now }))
    erased += await eraseStoredAnswerChunks(database, id);
  return erased;
}
