/**
 * Where encrypted file chunks live (SPEC F12, BLOB_STORE). Every chunk also has a row in
 * blob_chunks, which is what counts as "arrived"; a store decides where the bytes go: into that
 * row (database on PostgreSQL: one backup holds everything and a share's chunks go in its own
 * transaction), into the chunk file beside the SQLite database (database on SQLite, see
 * chunk-file-store.ts) or into an S3-compatible bucket (the row then only records the object).
 */
import type { Kysely } from "kysely";

import type { Database } from "../../../db/schema.js";
import type { SlabPool } from "../slab-pool.js";

/** A chunk of a share's blob, or of the blob of a request's answer (SPEC F13 with §3.1). */
export type ChunkKey =
  { shareId: string; blobId: string; n: number } | { requestId: string; blobId: string; n: number };

/** Every chunk of one owner: a share's or a request's answer's. */
export type ChunkOwner = { shareId: string } | { requestId: string };

/** An owner's chunk rows in the main database, as `${blobId}/${n}` (the orphan sweep's check). */
export type KnownChunks = (owner: ChunkOwner) => Promise<Set<string>>;

export interface BlobStore {
  readonly kind: "database" | "s3";
  /**
   * The pool the chunk route reads bodies into, when the store takes its slabs over (the chunk
   * file: transferred to its thread, not copied).
   */
  readonly slabs?: SlabPool;
  /**
   * Makes the bytes durable where this store keeps them, before the chunk row is written.
   * Returns what the row's `data` column holds: the bytes themselves, or null.
   */
  put(key: ChunkKey, bytes: Buffer): Promise<Buffer | null>;
  /**
   * One chunk's bytes (reading the row through `db` for the database store), in a Buffer no one
   * else holds: a download frees its memory once sent (chunk-writer.ts), so never a cached one.
   */
  get(db: Kysely<Database>, key: ChunkKey): Promise<Buffer | null>;
  /** Removes chunks from the store itself; the rows are the caller's to delete afterwards. */
  remove(keys: ChunkKey[]): Promise<void>;
  /**
   * The chunk file only (its rows go first): every chunk of a destroyed owner, once its rows are
   * gone. With it, a purge deletes the rows and then calls this; without it, the S3 order.
   */
  removeOwner?(owner: ChunkOwner): Promise<void>;
  /** Told once the row of a `put` was written or refused (the orphan sweep spares it until then). */
  settled?(key: ChunkKey): void;
  /** Removes the chunks that have no row in the main database any more; answers how many. */
  sweepOrphans?(known: KnownChunks): Promise<number>;
  /** Whether the store can be reached as configured (S3: the bucket); throws what it cannot. */
  check?(): Promise<void>;
  close(): Promise<void>;
}
