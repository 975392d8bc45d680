/**
 * Files of a share on this computer (SPEC F12, §3.1): read from disk, encrypted and uploaded chunk
 * by chunk; downloaded, decrypted and written chunk by chunk. Memory stays bounded by a few chunks
 * whatever the size: files are streams, at most UPLOAD_PARALLEL chunks are in flight, and a
 * download is written as it authenticates, into a partial file renamed into place at the end.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, rmSync } from "node:fs";
import { link, open, rename, rm, stat, unlink } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { Readable } from "node:stream";

import {
  chunkBytes,
  decryptStream,
  eachOf,
  encryptedSize,
  FILE_CHUNK_BYTES,
  fromBase64Url,
  MAX_FILE_NAME_BYTES,
  newShareFile,
  sanitiseFileName,
  shortenFileName,
  uploadEncrypted,
  type ShareFile,
} from "@hushlink/protocol";

import type { ApiClient } from "./api-client.js";
import { CliError, isTransient } from "./errors.js";

/** Connections a download may lose in a row before it gives up; each retry resumes with Range. */
const DOWNLOAD_ATTEMPTS = 5;

export interface Progress {
  done: number;
  total: number;
}

export interface LocalFile {
  path: string;
  meta: ShareFile;
}

/** Checks each path is a readable regular file and describes it for the share's payload. */
export async function describeFiles(paths: string[]): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  for (const path of paths) {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new CliError(`--attach ${path} is not a regular file.`);
      size = info.size;
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        `--attach ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
      );
    }
    files.push({ path, meta: newShareFile({ name: basename(path), type: "", size }) });
  }
  return files;
}

/** Encrypts and uploads every file; chunks in `received` are read past, not sent again. */
export async function uploadFiles(
  api: ApiClient,
  args: {
    shareId: string;
    uploadToken: string;
    files: LocalFile[];
    /** The answer to a request (its id in `shareId`) rather than a share. */
    of?: "shares" | "requests";
    received?: Map<string, Set<number>>;
    onProgress?: (progress: Progress) => void;
  },
): Promise<void> {
  const total = args.files.reduce((n, f) => n + f.meta.size, 0);
  let done = 0;
  for (const { meta } of args.files) {
    for (const n of args.received?.get(meta.blob) ?? []) done += chunkBytes(meta.size, n);
  }
  args.onProgress?.({ done, total });
  for (const { path, meta } of args.files) {
    await uploadEncrypted({
      size: meta.size,
      fileKey: fromBase64Url(meta.key),
      received: args.received?.get(meta.blob),
      open: () =>
        Readable.toWeb(
          createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES }),
        ) as ReadableStream<Uint8Array>,
      put: async (n, bytes) => {
        await api.putChunk(args.shareId, meta.blob, n, args.uploadToken, bytes, args.of);
        done += chunkBytes(meta.size, n);
        args.onProgress?.({ done, total });
      },
    });
  }
}

/**
 * "name (1).ext", "name (2).ext", …: a free name beside one that is taken, its stem shortened
 * first when the name is already as long as a folder takes.
 */
function alternative(name: string, n: number): string {
  const suffix = ` (${n})`;
  const fitted = shortenFileName(name, MAX_FILE_NAME_BYTES - Buffer.byteLength(suffix));
  const ext = extname(fitted);
  const stem = ext ? fitted.slice(0, -ext.length) : fitted;
  return `${stem}${suffix}${ext}`;
}

/**
 * Partial files being written. They hold decrypted bytes of the secret, so a Ctrl-C or a SIGTERM
 * mid-download removes them before the process ends (by the same signal, re-raised); the signal
 * is only listened to while one exists.
 */
const partials = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function removePartials(signal: NodeJS.Signals) {
  for (const path of partials) rmSync(path, { force: true });
  partials.clear();
  for (const s of SIGNALS) process.removeListener(s, removePartials);
  process.kill(process.pid, signal);
}

function tracked(path: string, writing: boolean) {
  if (writing) {
    if (partials.size === 0) for (const s of SIGNALS) process.on(s, removePartials);
    partials.add(path);
  } else if (partials.delete(path) && partials.size === 0) {
    for (const s of SIGNALS) process.removeListener(s, removePartials);
  }
}

export interface SavedFile {
  name: string;
  path: string;
  size: number;
  type: string;
  /**
   * Saved under another name because the sanitised one was taken: by a file (without --force), a
   * folder, or another file of the same secret.
   */
  renamed: boolean;
}

/**
 * Downloads, decrypts and writes one file into `dir` under its sanitised name. Never overwrites
 * without `force`: a taken name gets " (1)", " (2)" … instead, since the view that allowed the
 * download is already used up. `force` replaces a file that was there before (a folder stays, and
 * the file goes beside it), never a name in `saved` (the files of this secret already written:
 * two of its files may have the same name). The bytes go to a partial file first, so a broken
 * download never leaves a truncated file under the real name.
 */
export async function saveFile(
  api: ApiClient,
  args: {
    shareId: string;
    downloadToken: string;
    file: ShareFile;
    of?: "shares" | "requests";
    dir: string;
    force: boolean;
    saved?: ReadonlySet<string>;
    onProgress?: (done: number) => void;
  },
): Promise<SavedFile> {
  const { file, dir } = args;
  // Not named after the file: a name of 255 bytes leaves no room for anything around it.
  const partial = join(dir, `.hushlink-partial-${process.pid}-${randomBytes(6).toString("hex")}`);
  // The first answer before the partial file: a refusal (410, 404) leaves nothing behind.
  const body = await resumableBlob(
    (from) => api.downloadBlob(args.shareId, file.blob, args.downloadToken, from, args.of),
    encryptedSize(file.size),
  );
  tracked(partial, true);
  try {
    return await writeAndPlace(partial, body, args);
  } finally {
    tracked(partial, false);
  }
}

/** Decrypts `body` into `partial`, then gives it its name in `args.dir` (saveFile). */
async function writeAndPlace(
  partial: string,
  body: ReadableStream<Uint8Array>,
  args: Parameters<typeof saveFile>[1],
): Promise<SavedFile> {
  const { file, dir } = args;
  const name = sanitiseFileName(file.name);
  const handle = await open(partial, "wx", 0o600);
  let done = 0;
  try {
    await eachOf(
      body.pipeThrough(decryptStream(fromBase64Url(file.key), { expectedSize: file.size })),
      async (part) => {
        await handle.write(part);
        done += part.length;
        args.onProgress?.(done);
      },
    );
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  if (args.force && !args.saved?.has(name)) {
    const path = join(dir, name);
    try {
      await rename(partial, path);
      return { name, path, size: done, type: file.type, renamed: false };
    } catch (error) {
      // A folder of that name is not a file to overwrite: the file goes beside it, as below.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EISDIR" && code !== "ENOTEMPTY" && code !== "EEXIST") {
        await rm(partial, { force: true });
        throw error;
      }
    }
  }
  // link() refuses an existing name atomically, where a check before rename could race.
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : alternative(name, n);
    if (args.saved?.has(candidate)) continue;
    const path = join(dir, candidate);
    try {
      await link(partial, path);
      await unlink(partial);
      return { name: candidate, path, size: done, type: file.type, renamed: n > 0 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || n > 1000) {
        await rm(partial, { force: true });
        throw error;
      }
    }
  }
}

/**
 * The encrypted blob as one stream of `size` bytes, however many connections it takes: when one
 * breaks (or ends short), the next asks for the rest with `Range: bytes={received}-`, so nothing
 * is fetched twice and the decryption downstream never notices. A refusal (4xx) is not retried.
 * Resolves once the first answer is in, so a refused download fails before anything is written.
 */
export async function resumableBlob(
  request: (from: number) => Promise<Response>,
  size: number,
  attempts = DOWNLOAD_ATTEMPTS,
): Promise<ReadableStream<Uint8Array>> {
  let received = 0;
  let failures = 0;
  const openAt = async (from: number) => {
    const response = await request(from);
    if (from > 0) {
      // Only the rest, from exactly where we are, may continue the stream.
      const range = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "");
      if (response.status !== 206 || Number(range?.[1]) !== from) {
        await response.body?.cancel();
        throw new CliError("The server cannot resume the download (no Range support).");
      }
    }
    if (!response.body) throw new CliError("The server sent no file.");
    return response.body.getReader();
  };
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = await openAt(0);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          try {
            reader ??= await openAt(received);
            const { done, value } = await reader.read();
            if (done) {
              if (received < size) throw new CliError("The connection ended before the file did.");
              controller.close();
              return;
            }
            received += value.length;
            failures = 0;
            controller.enqueue(value);
            return;
          } catch (error) {
            reader = null;
            if (++failures >= attempts || !isTransient(error)) throw error;
            await new Promise((resolve) => setTimeout(resolve, 200 * failures));
          }
        }
      },
      async cancel(reason) {
        await reader?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
