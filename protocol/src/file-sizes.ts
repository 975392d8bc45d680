/**
 * The sizes of SPEC §3.1, apart from files.ts so crypto.ts and payload.ts can use them without
 * an import cycle (files.ts imports crypto.ts for DecryptionError). files.ts re-exports them.
 */
import { GCM_TAG_BYTES } from "./constants.js";

export const FILE_CHUNK_BYTES = 1_048_576;
export const ENCRYPTED_CHUNK_BYTES = FILE_CHUNK_BYTES + GCM_TAG_BYTES;
export const BLOB_ID_BYTES = 16;
export const FILE_KEY_BYTES = 32;

/** Number of chunks a plaintext of `size` bytes is cut into (an empty file is one empty chunk). */
export function chunkCount(size: number): number {
  return size === 0 ? 1 : Math.ceil(size / FILE_CHUNK_BYTES);
}

/** The plaintext bytes in chunk `n` of a file of `size` bytes (0 past the end). */
export function chunkBytes(size: number, n: number): number {
  return Math.max(0, Math.min(FILE_CHUNK_BYTES, size - n * FILE_CHUNK_BYTES));
}

/** The encrypted blob's size: the plaintext plus one tag per chunk. */
export function encryptedSize(size: number): number {
  return size + GCM_TAG_BYTES * chunkCount(size);
}
