/**
 * The rules every set of files keeps, a share's or a request answer's (SPEC F12, §3.1): the limits
 * on what is declared, the exact length of each chunk, byte ranges, and reading a blob back chunk
 * by chunk. No SQL and no Fastify: blobs.transfer.ts uses them for both.
 */
import {
  blobLayout,
  ENCRYPTED_CHUNK_BYTES,
  encryptedChunkLength,
  type BlobDeclaration,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { AppError, BadRequestError, UnauthorizedError } from "../../errors.js";
import type { DeclaredBlob } from "./blobs.repository.js";
import { ChunkWriter, freeNow, type Piece } from "./chunk-writer.js";

export class TooLargeError extends AppError {
  constructor(limit: string, max: number, message: string) {
    super(413, "too_large", message, { limit, max });
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/**
 * Checks declared blobs against the limits (on the declared sizes) and lays them out in chunks.
 * `anonymous`: the files are held for someone without an account (ANONYMOUS_MAX_FILE_BYTES);
 * when that is 0, a share's creator is asked to sign in and a request's answer is refused as too
 * large (whoever answers cannot change who asked).
 */
export function declareBlobs(
  files: Config["files"],
  blobs: BlobDeclaration[],
  owner: { anonymous: boolean; whenAnonymousOff: "login_required" | "too_large" },
) {
  const { anonymous } = owner;
  if (anonymous && files.anonymousMaxBytes === 0 && owner.whenAnonymousOff === "login_required") {
    throw new UnauthorizedError("login_required", "Sign in to share files.");
  }
  if (blobs.length > files.maxFiles) {
    throw new TooLargeError(
      "MAX_FILES",
      files.maxFiles,
      `A secret may carry at most ${files.maxFiles} files.`,
    );
  }
  if (new Set(blobs.map((b) => b.id)).size !== blobs.length) {
    throw new BadRequestError("invalid_request", "blobs: every blob needs its own id.");
  }
  const declared: DeclaredBlob[] = [];
  let plaintext = 0;
  for (const blob of blobs) {
    const layout = blobLayout(blob.size);
    if (!layout) {
      throw new BadRequestError(
        "invalid_request",
        `blobs: ${blob.size} bytes is not the encrypted size of any file (SPEC §3.1).`,
      );
    }
    plaintext += layout.size;
    declared.push({ id: blob.id, size: blob.size, chunks: layout.chunks });
  }
  const max = anonymous ? files.anonymousMaxBytes : files.maxBytes;
  if (plaintext > max) {
    throw new TooLargeError(
      anonymous ? "ANONYMOUS_MAX_FILE_BYTES" : "MAX_FILE_BYTES",
      max,
      max === 0
        ? noFilesMessage(anonymous)
        : `Files may take at most ${formatBytes(max)} in total${anonymous ? " without signing in" : ""}.`,
    );
  }
  return {
    declared,
    columns: {
      blob_count: declared.length,
      blob_bytes: declared.reduce((n, b) => n + b.size, 0),
      chunks_total: declared.reduce((n, b) => n + b.chunks, 0),
    },
  };
}

/**
 * Why no file fits. An anonymous owner that gets this far is a request made without an account
 * (a share's visitor was told to sign in above): signing in would not help whoever answers it.
 */
function noFilesMessage(anonymous: boolean) {
  return anonymous
    ? "This request was made without an account: its answer cannot carry files, send text only."
    : "This server does not take files.";
}

/** 400 unless `body` is exactly chunk `n` of a blob of `blob.size` encrypted bytes. */
export function checkChunk(blob: { size: number; chunks: number }, n: number, body: Buffer) {
  const expected = encryptedChunkLength(blob.size, n);
  if (expected === null) {
    throw new BadRequestError(
      "chunk_out_of_range",
      `This file has ${blob.chunks} chunk${blob.chunks === 1 ? "" : "s"} (0 to ${blob.chunks - 1}).`,
    );
  }
  if (body.length !== expected) {
    throw new BadRequestError(
      "chunk_length_mismatch",
      `Chunk ${n} must be exactly ${expected} bytes; ${body.length} arrived.`,
      { expected, received: body.length },
    );
  }
}

/** A single `bytes=` range of a blob, or null for the whole (ignored or absent header). */
export function parseRange(header: string | undefined, size: number) {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  // A last position before the first is no range at all (RFC 9110 §14.1.1): the header is
  // ignored, as one we cannot parse is, rather than answered 416.
  if (match[1] !== "" && match[2] !== "" && Number(match[2]) < Number(match[1])) return null;
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable" as const;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable" as const;
  return { start, end };
}

/**
 * The download answer for a blob of `size` encrypted bytes: the requested range, streamed chunk
 * by chunk through `read` (which answers null for a chunk destroyed meanwhile).
 */
export function blobStream(args: {
  size: number;
  range: string | undefined;
  read: (n: number) => Promise<Buffer | null>;
  count: (bytes: number) => void;
}) {
  const range = parseRange(args.range, args.size);
  if (range === "unsatisfiable") return { unsatisfiable: true as const, size: args.size };
  const start = range?.start ?? 0;
  const end = range?.end ?? args.size - 1;
  const { read, count } = args;
  const readAhead = (n: number) => {
    const reading = read(n);
    // Failing while the generator waits at a yield must not count as unhandled: it is raised when
    // awaited, or dropped with the response.
    reading.catch(() => undefined);
    return reading;
  };
  async function* chunks(): AsyncGenerator<Piece> {
    const first = Math.floor(start / ENCRYPTED_CHUNK_BYTES);
    const last = Math.floor(end / ENCRYPTED_CHUNK_BYTES);
    // The next chunk is asked for as soon as this one is in hand, before it is handed over to be
    // written: the store reads it (on the chunk file's thread, or from PostgreSQL) while the
    // socket writes this one, instead of after (bench/README.md, twenty-first round).
    let reading: Promise<Buffer | null> | null = readAhead(first);
    try {
      for (let n = first; n <= last; n++) {
        const data = await reading!;
        reading = n < last ? readAhead(n + 1) : null;
        // Destroyed while it was being read: end the response short rather than send zeros.
        if (!data) throw new Error("chunk vanished during a download");
        const offset = n * ENCRYPTED_CHUNK_BYTES;
        const piece = data.subarray(
          Math.max(0, start - offset),
          Math.min(data.length, end - offset + 1),
        );
        count(piece.length);
        // The store's Buffer is this download's alone: freed once the socket has written the piece.
        yield { bytes: piece, chunk: data };
      }
    } finally {
      // Stopped early (the response closed, a chunk vanished): the chunk read ahead is no one's.
      void reading?.then(
        (data) => data && freeNow(data),
        () => undefined,
      );
    }
  }
  return {
    unsatisfiable: false as const,
    size: args.size,
    partial: range !== null,
    start,
    end,
    // At most three chunks of the store at once: one being written, the one the writer has read
    // ahead and the one this generator reads ahead; each freed once written (chunk-writer.ts).
    stream: new ChunkWriter(chunks()),
  };
}
