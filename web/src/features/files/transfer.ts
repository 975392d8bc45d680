/**
 * Moving a share's files (SPEC §3.1) between this page and the server: every chunk is encrypted
 * or decrypted here, by the protocol's streams, so the server only ever sees ciphertext. Memory
 * stays bounded: a file is read as a stream, at most UPLOAD_PARALLEL encrypted chunks are in
 * flight, and a download is decrypted chunk by chunk and streamed into the browser's downloads by
 * a service worker (stream-save.ts), or into a Blob of 1 MiB parts where there is none.
 */
import {
  chunkBytes,
  decryptBody,
  eachOf,
  fromBase64Url,
  sanitiseFileName,
  uploadEncrypted,
  type ShareFile,
} from "@hushlink/protocol/client";
import type { UploadStatus } from "@hushlink/protocol";

import { ApiError, csrfToken, localizedMessage, segment } from "../../lib/api";
import { i18n } from "../../i18n/i18n";
import { CRYPTO_PARALLEL } from "./download-messages";
import { downloadWorker, saveStream } from "./stream-save";
import { CLIENT_ERROR_MESSAGES } from "../../i18n/error-messages";

export interface Progress {
  done: number;
  total: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
}

export interface UploadItem {
  file: Blob;
  meta: ShareFile;
}

/** A rate over a sliding window of a few seconds, so a stall shows at once. */
export function rateMeter(windowMs = 3000, now: () => number = () => performance.now()) {
  const samples: { at: number; done: number }[] = [];
  return (done: number): number => {
    const at = now();
    samples.push({ at, done });
    while (samples.length > 2 && at - samples[0]!.at > windowMs) samples.shift();
    const first = samples[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0.05 ? (done - first.done) / seconds : 0;
  };
}

/** How often a transfer's progress is shown at most: about ten times a second. */
export const PROGRESS_INTERVAL_MS = 100;

export interface ProgressClock {
  now: () => number;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (timer: unknown) => void;
}

const realClock: ProgressClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export interface ProgressReport {
  (done: number, total: number): void;
  /** Shows what is held back, if anything, and ignores every later report. */
  stop(): void;
}

/**
 * Reports progress to `onProgress` at most every PROGRESS_INTERVAL_MS, with the rate over every
 * sample: the first report and the end (done === total) at once, anything in between held back
 * and shown when its interval is up, so the last value is always shown. Each report is a React
 * state update, a render and a frame; the whole-percent filter before this still re-rendered
 * about 50 times a second at 50-150 MB/s (bench/README.md, fourteenth and fifteenth rounds),
 * main-thread time the page's encryption needs. `stop` must be called when the transfer ends
 * or fails, so that no held-back report lands after the caller's own final state.
 */
export function progressReporter(
  onProgress: (progress: Progress) => void,
  clock: ProgressClock = realClock,
): ProgressReport {
  const meter = rateMeter(3000, clock.now);
  let shownAt = -Infinity;
  let held: Progress | null = null;
  let timer: unknown = null;
  let stopped = false;
  const show = (progress: Progress) => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    held = null;
    shownAt = clock.now();
    onProgress(progress);
  };
  const report = (done: number, total: number): void => {
    if (stopped) return;
    const progress = { done, total, rate: meter(done) };
    const wait = shownAt + PROGRESS_INTERVAL_MS - clock.now();
    if (done >= total || wait <= 0) return show(progress);
    held = progress;
    timer ??= clock.setTimeout(() => {
      timer = null;
      if (held) show(held);
    }, wait);
  };
  report.stop = () => {
    if (held && !stopped) show(held);
    stopped = true;
  };
  return report;
}

async function apiError(response: Response): Promise<ApiError> {
  return apiErrorOf(response.status, await response.json().catch(() => null));
}

/** The server's refusal as an ApiError, from its status and JSON body. */
function apiErrorOf(status: number, data: unknown): ApiError {
  const error =
    typeof data === "object" && data !== null && "error" in data
      ? (data.error as Record<string, unknown>)
      : null;
  const { code, message, ...details } = error ?? {};
  return new ApiError(
    status,
    typeof code === "string" ? code : `http_${status}`,
    localizedMessage(
      typeof code === "string" ? code : `http_${status}`,
      typeof message === "string" ? message : null,
    ),
    details,
  );
}

const connectionLost = () =>
  new ApiError(0, "network_error", i18n._(CLIENT_ERROR_MESSAGES.connection_lost));

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      cache: "no-store",
      credentials: "same-origin",
      referrerPolicy: "no-referrer",
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw connectionLost();
  }
}

/** Files belong to a share, or to the answer of an end-to-end request (SPEC F13 with §3.1). */
export type FilesOf = "shares" | "requests";
const sharePath = (id: string, of: FilesOf = "shares") => `/api/v1/${of}/${segment(id)}`;

/** `GET …/upload`: the chunks the server holds, per blob, to resume an interrupted upload. */
export async function uploadStatus(
  shareId: string,
  uploadToken: string,
  signal?: AbortSignal,
  of?: FilesOf,
): Promise<Map<string, Set<number>>> {
  const response = await send(`${sharePath(shareId, of)}/upload`, {
    headers: { "X-Upload-Token": uploadToken, Accept: "application/json" },
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await apiError(response);
  // The protocol's answer type, not a copy: a change to the schema breaks this type check.
  const status = (await response.json()) as UploadStatus;
  return new Map(status.blobs.map((blob) => [blob.id, new Set(blob.received)]));
}

/**
 * Encrypts and uploads every file. With `received` (from uploadStatus) the chunks the server has
 * are read past without being sent again. Progress counts plaintext bytes.
 */
export async function uploadFiles(args: {
  shareId: string;
  uploadToken: string;
  items: UploadItem[];
  received?: Map<string, Set<number>>;
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
  of?: FilesOf;
}): Promise<void> {
  const { shareId, uploadToken, items, received, signal, onProgress } = args;
  const total = items.reduce((n, item) => n + item.meta.size, 0);
  const report = progressReporter(onProgress);
  let done = 0;
  for (const { meta } of items) {
    for (const n of received?.get(meta.blob) ?? []) done += chunkBytes(meta.size, n);
  }
  report(done, total);
  const csrf = csrfToken();

  try {
    for (const { file, meta } of items) {
      const put = async (n: number, bytes: Uint8Array) => {
        const response = await send(
          `${sharePath(shareId, args.of)}/blobs/${segment(meta.blob)}/${n}`,
          {
            method: "PUT",
            headers: {
              "X-Upload-Token": uploadToken,
              "Content-Type": "application/octet-stream",
              ...(csrf ? { "X-CSRF-Token": csrf } : {}),
            },
            // A Blob body: Chromium hands it to its network service by reference instead of copying
            // the bytes through the page (and through DevTools, when it is attached).
            body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
            signal,
          },
        );
        if (!response.ok) {
          const error = await apiError(response);
          // A chunk sent again after the last one landed: the server has it all.
          if (error.code !== "upload_complete") throw error;
        }
        done += chunkBytes(meta.size, n);
        report(done, total);
      };
      await uploadEncrypted({
        size: meta.size,
        fileKey: fromBase64Url(meta.key),
        received: received?.get(meta.blob),
        open: () => file.stream(),
        put,
        parallel: CRYPTO_PARALLEL,
        signal,
      });
    }
  } finally {
    report.stop();
  }
}

interface DownloadArgs {
  shareId: string;
  downloadToken: string;
  file: ShareFile;
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
  of?: FilesOf | undefined;
}

const blobPath = (args: DownloadArgs) =>
  `${sharePath(args.shareId, args.of)}/blobs/${segment(args.file.blob)}`;

/**
 * Downloads one file as a stream of its plaintext, decrypted chunk by chunk (CRYPTO_PARALLEL at
 * once); a chunk is released only once it authenticated, and progress counts what was read.
 */
async function openDownload(
  args: DownloadArgs,
  report: ProgressReport,
): Promise<ReadableStream<Uint8Array>> {
  const { downloadToken, file, signal } = args;
  const response = await send(blobPath(args), {
    headers: { "X-Download-Token": downloadToken },
    signal,
  });
  if (!response.ok || !response.body) throw await apiError(response);
  let done = 0;
  report(done, file.size);
  return decryptBody(response.body, fromBase64Url(file.key), {
    expectedSize: file.size,
    parallel: CRYPTO_PARALLEL,
  }).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(part, controller) {
        done += part.length;
        report(done, file.size);
        controller.enqueue(part);
      },
    }),
  );
}

/**
 * Downloads one file and decrypts it into a Blob of 1 MiB parts (the browser may keep them on
 * disk). The Blob is typed application/octet-stream, so nothing ever renders it.
 */
export async function downloadFile(args: DownloadArgs): Promise<Blob> {
  const parts: Blob[] = [];
  const report = progressReporter(args.onProgress);
  try {
    await eachOf(await openDownload(args, report), (part) => {
      parts.push(new Blob([part as Uint8Array<ArrayBuffer>]));
    });
  } finally {
    report.stop();
  }
  return new Blob(parts, { type: "application/octet-stream" });
}

/**
 * Downloads, decrypts and saves one file under its sanitised name: where there is a download
 * service worker, the worker fetches, decrypts and streams it into the browser's downloads
 * (memory bounded by a few chunks, the file written as it comes, no plaintext in this page);
 * else this page decrypts it into a Blob for saveBlob.
 */
export async function saveFile(args: DownloadArgs): Promise<void> {
  const sw = await downloadWorker();
  if (!sw) return saveBlob(await downloadFile(args), args.file.name);
  const { file } = args;
  const report = progressReporter(args.onProgress);
  report(0, file.size);
  try {
    await saveStream({
      sw,
      request: {
        path: blobPath(args),
        downloadToken: args.downloadToken,
        key: file.key,
        name: sanitiseFileName(file.name),
        size: file.size,
      },
      signal: args.signal,
      onProgress: (done) => report(done, file.size),
      refused: apiErrorOf,
      network: connectionLost,
    });
  } finally {
    report.stop();
  }
}

/** Hands a Blob to the browser's downloads under a safe name; never opens it in a tab. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = sanitiseFileName(name);
  link.rel = "noopener";
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the Blob after the click returns; give it time before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
