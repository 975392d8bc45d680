/**
 * Protocol v1 files (SPEC §3.1): a file is cut into chunks of exactly 1 MiB (the last may be
 * shorter; an empty file is one empty chunk), each AES-256-GCM under the file key with an iv that
 * carries the chunk index and a last-chunk flag, so reordering, dropping and truncating chunks all
 * fail to decrypt. Everything is streams on WebCrypto, the same in browsers, Node and the CLI, and
 * holds at most one chunk of its own (plus the one being encrypted): memory stays bounded by a few
 * chunks whatever the file size, because a TransformStream only takes the next piece once the
 * reader has taken what it made.
 */
import { GCM_TAG_BYTES, IV_BYTES } from "./constants.js";
import { DecryptionError } from "./crypto.js";
import { concatBytes, utf8 } from "./encoding.js";
import {
  chunkCount,
  ENCRYPTED_CHUNK_BYTES,
  encryptedSize,
  FILE_CHUNK_BYTES,
  FILE_KEY_BYTES,
} from "./file-sizes.js";

// Every size of SPEC §3.1 is part of this module's surface, as before file-sizes.ts split off.
export * from "./file-sizes.js";

export const FILE_AAD = "hushlink/v1/file";

const FILE_AAD_BYTES = utf8(FILE_AAD);

/**
 * The layout an encrypted size implies: how many chunks and how long the last one is, or null when
 * no plaintext encrypts to exactly that many bytes (the server refuses such a declaration).
 */
export function blobLayout(
  encrypted: number,
): { chunks: number; lastChunkBytes: number; size: number } | null {
  if (!Number.isSafeInteger(encrypted) || encrypted < GCM_TAG_BYTES) return null;
  const chunks = Math.ceil(encrypted / ENCRYPTED_CHUNK_BYTES);
  const lastChunkBytes = encrypted - (chunks - 1) * ENCRYPTED_CHUNK_BYTES;
  // Only a lone chunk may be empty; any later last chunk holds at least one byte.
  if (chunks > 1 && lastChunkBytes < GCM_TAG_BYTES + 1) return null;
  return { chunks, lastChunkBytes, size: encrypted - chunks * GCM_TAG_BYTES };
}

/** Exact length of encrypted chunk `n` of a blob of `encrypted` bytes, or null if out of range. */
export function encryptedChunkLength(encrypted: number, n: number): number | null {
  const layout = blobLayout(encrypted);
  if (!layout || !Number.isSafeInteger(n) || n < 0 || n >= layout.chunks) return null;
  return n === layout.chunks - 1 ? layout.lastChunkBytes : ENCRYPTED_CHUNK_BYTES;
}

/** iv = n as 8-byte big-endian, three zero bytes, then 1 for the last chunk and 0 otherwise. */
export function chunkIv(n: number, last: boolean): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("chunk index must be >= 0");
  const iv = new Uint8Array(IV_BYTES);
  new DataView(iv.buffer).setBigUint64(0, BigInt(n), false);
  iv[IV_BYTES - 1] = last ? 1 : 0;
  return iv;
}

// WebCrypto wants ArrayBuffer-backed views of exactly the bytes meant.
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer) return bytes as Uint8Array<ArrayBuffer>;
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/** The CryptoKey for one file key; import once and reuse it for every chunk. */
export function importFileKey(fileKey: Uint8Array) {
  if (fileKey.length !== FILE_KEY_BYTES) throw new TypeError("file key must be 32 bytes");
  return globalThis.crypto.subtle.importKey("raw", own(fileKey), "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
}

export type FileKey = Awaited<ReturnType<typeof importFileKey>>;

export async function encryptChunk(
  key: FileKey,
  n: number,
  last: boolean,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const encrypted = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv: chunkIv(n, last), additionalData: own(FILE_AAD_BYTES) },
    key,
    own(plaintext),
  );
  return new Uint8Array(encrypted);
}

export async function decryptChunk(
  key: FileKey,
  n: number,
  last: boolean,
  encrypted: Uint8Array,
): Promise<Uint8Array> {
  try {
    const plaintext = await globalThis.crypto.subtle.decrypt(
      { name: "AES-GCM", iv: chunkIv(n, last), additionalData: own(FILE_AAD_BYTES) },
      key,
      own(encrypted),
    );
    return new Uint8Array(plaintext);
  } catch {
    throw new FileDecryptionError(n);
  }
}

export class FileDecryptionError extends DecryptionError {
  constructor(readonly chunk: number) {
    super();
    this.message = `The file could not be decrypted (chunk ${chunk} is damaged, missing or out of place).`;
    this.name = "FileDecryptionError";
  }
}

/**
 * Collects arbitrary pieces into blocks of exactly `size` bytes. A full block is only released
 * once a further byte arrives, because only then is it known not to be the last one.
 */
class Blocks {
  private buffer: Uint8Array;
  private filled = 0;

  constructor(private readonly size: number) {
    this.buffer = new Uint8Array(size);
  }

  /** Takes a piece; returns the blocks now known not to be last, in order. */
  push(piece: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let offset = 0;
    while (offset < piece.length) {
      if (this.filled === this.size) {
        out.push(this.buffer);
        this.buffer = new Uint8Array(this.size);
        this.filled = 0;
      }
      const take = Math.min(this.size - this.filled, piece.length - offset);
      this.buffer.set(piece.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
    }
    return out;
  }

  /** At the end: the last block (empty when there was no input at all). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.filled);
  }
}

/**
 * A stream that cuts what it is given into `size`-byte blocks and hands them to `work` one at a
 * time, numbered from 0, the last one flagged; what `work` makes is released in block order. One
 * piece is taken at a time on either side (highWaterMark 1), and at most `parallel` blocks are
 * being worked on at once, which is what keeps memory at a few chunks whatever the file size.
 * WebCrypto runs off the page's thread, so `parallel` > 1 keeps several cores busy; a block's
 * result is only released after every earlier one, so a failure is raised in order and nothing
 * after a bad block gets out.
 */
function blockStream<Out>(
  size: number,
  parallel: number,
  work: (block: Uint8Array, n: number, last: boolean) => Promise<Out | null>,
): TransformStream<Uint8Array, Out> {
  checkParallel(parallel);
  const blocks = new Blocks(size);
  const pending: Promise<Out | null>[] = [];
  let index = 0;
  const release = async (controller: TransformStreamDefaultController<Out>) => {
    const out = await pending.shift()!;
    if (out !== null) controller.enqueue(out);
  };
  const start = (block: Uint8Array, last: boolean) => {
    const result = work(block, index++, last);
    // Raised when its turn comes; until then a rejection is not an unhandled one.
    result.catch(() => undefined);
    pending.push(result);
  };
  return new TransformStream<Uint8Array, Out>(
    {
      async transform(piece, controller) {
        for (const block of blocks.push(piece)) {
          start(block, false);
          while (pending.length >= parallel) await release(controller);
        }
      },
      async flush(controller) {
        start(blocks.finish(), true);
        while (pending.length > 0) await release(controller);
      },
    },
    { highWaterMark: 1 },
    { highWaterMark: 1 },
  );
}

/** `parallel` as the streams take it: a whole number of chunks, at least one. */
export function checkParallel(parallel: number): number {
  if (!Number.isSafeInteger(parallel) || parallel < 1) {
    throw new RangeError("parallel must be >= 1");
  }
  return parallel;
}

export interface EncryptedChunk {
  index: number;
  last: boolean;
  bytes: Uint8Array;
}

/**
 * Plaintext in any pieces → encrypted chunks, each ready to PUT as chunk `index`. `skip` names
 * chunks the server already holds (still read, not encrypted), for resuming an upload.
 */
export function encryptStream(
  fileKey: Uint8Array,
  options: { skip?: (index: number) => boolean; parallel?: number } = {},
): TransformStream<Uint8Array, EncryptedChunk> {
  const keyPromise = importFileKey(fileKey);
  return blockStream<EncryptedChunk>(
    FILE_CHUNK_BYTES,
    options.parallel ?? 1,
    async (block, n, last) => {
      if (options.skip?.(n)) return null;
      return { index: n, last, bytes: await encryptChunk(await keyPromise, n, last, block) };
    },
  );
}

/**
 * The encrypted blob in any pieces (as a download delivers it) → plaintext, chunk by chunk. A
 * chunk is only released once it has authenticated, so nothing unverified reaches the caller; a
 * blob cut short, reordered or altered fails with FileDecryptionError. `expectedSize` (from the
 * share's encrypted JSON) is checked at the end too.
 */
export function decryptStream(
  fileKey: Uint8Array,
  options: { expectedSize?: number; parallel?: number } = {},
): TransformStream<Uint8Array, Uint8Array> {
  const keyPromise = importFileKey(fileKey);
  return blockStream<Uint8Array>(
    ENCRYPTED_CHUNK_BYTES,
    options.parallel ?? 1,
    async (block, n, last) => openChunk(await keyPromise, n, last, block, options.expectedSize),
  );
}

/**
 * Encrypted chunk `n` of a blob → its plaintext, or null for the empty chunk of an empty file,
 * with every check of decryptStream. WebCrypto is called before this function first waits, and it
 * takes a copy of `block` then (the spec's "get a copy of the bytes"), so a caller may fill
 * `block` again as soon as this returns its promise (decryptBody does).
 */
export async function openChunk(
  key: FileKey,
  n: number,
  last: boolean,
  block: Uint8Array,
  expectedSize: number | undefined,
): Promise<Uint8Array | null> {
  if (block.length < GCM_TAG_BYTES) throw new FileDecryptionError(n);
  const plaintext = await decryptChunk(key, n, last, block);
  // Only a lone chunk may be empty; an empty later chunk means the blob was cut.
  if (last && n > 0 && plaintext.length === 0) throw new FileDecryptionError(n);
  // Whole chunks before the last one are FILE_CHUNK_BYTES each, so the total is known from the
  // last chunk alone, whatever order the decryptions finish in.
  const total = n * FILE_CHUNK_BYTES + plaintext.length;
  if (last && expectedSize !== undefined && total !== expectedSize) {
    throw new FileDecryptionError(n);
  }
  return plaintext.length > 0 ? plaintext : null;
}

/** Whole-buffer helpers for small files and tests: the same format as the streams. */
export async function encryptFile(fileKey: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(encryptedSize(plaintext.length));
  let offset = 0;
  await eachOf(streamOf(plaintext).pipeThrough(encryptStream(fileKey)), (chunk) => {
    out.set(chunk.bytes, offset);
    offset += chunk.bytes.length;
  });
  return out;
}

export async function decryptFile(fileKey: Uint8Array, encrypted: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await eachOf(streamOf(encrypted).pipeThrough(decryptStream(fileKey)), (part) => parts.push(part));
  return concatBytes(...parts);
}

/**
 * Chunks uploaded at once. The server's chunk file commits up to 4 chunks per transaction and
 * lends 8 bodies (a batch committing, the next one filling): with 4 in flight every commit left it
 * with nothing to read and most batches held one chunk (bench/README.md, "the upload's PUTs in
 * flight"). Memory stays bounded by this many encrypted chunks on each side.
 */
export const UPLOAD_PARALLEL = 8;

/**
 * Encrypts one file and hands each chunk to `put`, at most UPLOAD_PARALLEL at once, so memory
 * stays bounded by a few chunks whatever the size. The chunks in `received` (the server has them:
 * a resumed upload) are read past, not sent again; a file the server has whole is not opened. The
 * first failed `put` rejects; so does `signal`, once aborted, before the next chunk.
 */
export async function uploadEncrypted(args: {
  size: number;
  fileKey: Uint8Array;
  open: () => ReadableStream<Uint8Array>;
  put: (index: number, bytes: Uint8Array) => Promise<void>;
  received?: Set<number> | undefined;
  signal?: AbortSignal;
  /** Chunks encrypted at once (encryptStream's `parallel`); 1 unless the caller says more. */
  parallel?: number;
}): Promise<void> {
  const { received } = args;
  if (received && received.size >= chunkCount(args.size)) return;
  const inFlight = new Set<Promise<void>>();
  const chunks = args.open().pipeThrough(
    encryptStream(args.fileKey, {
      skip: (n) => received?.has(n) ?? false,
      parallel: args.parallel ?? 1,
    }),
  );
  await eachOf(chunks, async (chunk) => {
    args.signal?.throwIfAborted();
    const sent = args.put(chunk.index, chunk.bytes);
    inFlight.add(sent);
    // Settled ones leave the set; a failure is raised by the race or the final wait.
    sent.then(
      () => inFlight.delete(sent),
      () => undefined,
    );
    if (inFlight.size >= UPLOAD_PARALLEL) await Promise.race(inFlight);
  });
  await Promise.all(inFlight);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Reads a stream to its end (a reader loop: async iteration of streams is not everywhere yet). */
export async function eachOf<T>(stream: ReadableStream<T>, use: (value: T) => unknown) {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await use(value);
  }
}
