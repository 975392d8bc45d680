/**
 * What `share --attach` and `get --output` do around the transfers of files.ts: the server's
 * limits checked before anything is encrypted, a progress line on a terminal, retries that
 * resume from what the server holds, and the words for what was saved.
 */
import type { CreateShareResponse } from "@hushlink/protocol";

import type { ApiClient, ServerConfig } from "./api-client.js";
import { info, type Context } from "./context.js";
import { ApiError, CliError, isTransient } from "./errors.js";
import { uploadFiles, type LocalFile } from "./files.js";

/**
 * Attempts at an upload before giving up: each one after the first resumes (GET …/upload), and
 * one that stored more chunks than the last does not count.
 */
const UPLOAD_ATTEMPTS = 3;
/** Longest wait before resuming, whatever a Retry-After asks (the rate-limit window is a minute). */
const MAX_WAIT_SECONDS = 90;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The server's file limits, checked on the sizes on disk before anything is encrypted. */
export function checkFileLimits(files: LocalFile[], limits: ServerConfig, signedIn: boolean) {
  if (files.length === 0) return;
  const max = signedIn ? limits.maxFileBytes : limits.anonymousMaxFileBytes;
  if (max === 0) {
    throw new CliError(
      signedIn || limits.maxFileBytes === 0
        ? "This server does not take files. Nothing was sent."
        : "This server takes files only from accounts: run hushlink login first. Nothing was sent.",
    );
  }
  if (files.length > limits.maxFiles) {
    throw new CliError(
      `${files.length} files attached; this server takes at most ${limits.maxFiles} per secret. Nothing was sent.`,
    );
  }
  const total = files.reduce((n, f) => n + f.meta.size, 0);
  if (total > max) {
    throw new CliError(
      `The files take ${formatBytes(total)}; this server takes at most ${formatBytes(max)}${signedIn ? "" : " without login"}. Nothing was sent.`,
    );
  }
}

/**
 * The limits of an answer's files (SPEC F13 with §3.1): a request made without an account takes
 * only what ANONYMOUS_MAX_FILE_BYTES allows, whoever answers it, so logging in would not help.
 */
export function checkAnswerFileLimits(
  files: LocalFile[],
  limits: ServerConfig,
  madeWithAccount: boolean,
) {
  if (madeWithAccount) return checkFileLimits(files, limits, true);
  if (files.length > 0 && limits.anonymousMaxFileBytes === 0 && limits.maxFileBytes > 0) {
    throw new CliError(
      "This request was made without an account: its answer cannot carry files, send text only. Nothing was sent.",
    );
  }
  checkFileLimits(files, { ...limits, maxFileBytes: limits.anonymousMaxFileBytes }, true);
}

/**
 * A progress line on stderr, rewritten in place, when stderr is a terminal; nothing otherwise
 * (logs and pipes get the summary line only).
 */
export function progressLine(ctx: Context, label: string) {
  const tty = ctx.stderr.isTTY === true;
  const started = performance.now();
  let shown = 0;
  return {
    update(done: number, total: number) {
      if (!tty) return;
      const now = performance.now();
      if (now - shown < 100 && done < total) return;
      shown = now;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      const seconds = (now - started) / 1000;
      const rate = seconds > 0.2 ? `, ${formatBytes(Math.round(done / seconds))}/s` : "";
      ctx.stderr.write(
        `\r\x1b[K${label} ${formatBytes(done)} of ${formatBytes(total)} (${percent}%)${rate}`,
      );
    },
    end() {
      if (tty) ctx.stderr.write("\r\x1b[K");
    },
  };
}

/** Uploads the files of a just-created share, resuming after a broken connection. */
export async function uploadWithRetries(
  ctx: Context,
  api: ApiClient,
  args: {
    created: Pick<CreateShareResponse, "id" | "uploadToken" | "manageToken">;
    files: LocalFile[];
    /** The answer to a request (`created.id` is the request's) rather than a share. */
    of?: "shares" | "requests";
  },
): Promise<void> {
  const { created, files } = args;
  const uploadToken = created.uploadToken;
  if (!uploadToken) throw new CliError("The server took the files but gave no upload token.");
  const line = progressLine(ctx, "Uploading");
  let received: Map<string, Set<number>> | undefined;
  let stored = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1) {
        const status = await api.uploadStatus(created.id, uploadToken, args.of);
        received = new Map(status.blobs.map((b) => [b.id, new Set(b.received)]));
        const now = status.blobs.reduce((n, b) => n + b.received.length, 0);
        // Chunks went in since the last break (a rate limit lets some through): not a failure.
        if (now > stored) attempt = 2;
        stored = now;
      }
      await uploadFiles(api, {
        shareId: created.id,
        uploadToken,
        files,
        ...(args.of ? { of: args.of } : {}),
        ...(received ? { received } : {}),
        onProgress: ({ done, total }) => line.update(done, total),
      });
      line.end();
      return;
    } catch (error) {
      line.end();
      // Resuming, a chunk sent again can find every chunk stored: a PUT of the broken attempt
      // that was still in flight when its sibling failed landed after the status was read.
      if (received && error instanceof ApiError && error.code === "upload_complete") return;
      if (attempt >= UPLOAD_ATTEMPTS || !isTransient(error)) {
        const removal = created.manageToken
          ? api.deleteShare(created.id, { manageToken: created.manageToken }).then(
              () => " The unfinished secret was deleted.",
              () => " The server removes the unfinished secret within a day.",
            )
          : Promise.resolve(" The server removes the unfinished secret within a day.");
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(`The upload failed: ${reason}${await removal}`);
      }
      // As long as the server asks (a rate limit), else a moment more after each failure.
      const retryAfter = error instanceof ApiError ? error.retryAfter : null;
      const seconds = Math.min(retryAfter ?? attempt, MAX_WAIT_SECONDS);
      info(
        ctx,
        `The upload broke off (${error instanceof Error ? error.message : "error"}); resuming in ${seconds} s.`,
      );
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}
