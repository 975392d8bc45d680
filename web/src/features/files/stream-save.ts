/**
 * Saving a file as a stream (issue 17): the download service worker (download-sw.ts, built into
 * /files-download/sw.js) fetches the file's ciphertext, decrypts it and streams the plaintext
 * into the browser's downloads as the answer to a hidden frame's navigation; this page only
 * starts it, shows the progress the worker reports, cancels, and shows errors. No plaintext
 * crosses to the page, and the browser writes the file while it is decrypted. Where service
 * workers are unavailable (no secure context, blocked, private modes of some browsers) the caller
 * falls back to decrypting in the page into a Blob.
 */
import { FileDecryptionError } from "@hushlink/protocol/client";

import {
  DOWNLOAD_KEEPALIVE,
  DOWNLOAD_REQUEST,
  type DownloadRequest,
  type PageMessage,
  type WorkerMessage,
} from "./download-messages";

const SCOPE = "/files-download/";
const SCRIPT = `${SCOPE}sw.js`;
/** How long a first registration may take to activate before the Blob path is used instead. */
const ACTIVATION_MS = 5000;

const ABORT_ERROR = "AbortError";
/** How long the hidden frame of a finished download stays: time for the browser to take it over. */
const FRAME_LINGER_MS = 60_000;
/** Well inside the 30 s after which an idle service worker may be stopped mid-download. */
const KEEPALIVE_MS = 10_000;

let worker: Promise<ServiceWorker | null> | null = null;

function activated(candidate: ServiceWorker): Promise<ServiceWorker | null> {
  if (candidate.state === "activated") return Promise.resolve(candidate);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ACTIVATION_MS);
    candidate.addEventListener("statechange", () => {
      if (candidate.state !== "activated" && candidate.state !== "redundant") return;
      clearTimeout(timer);
      resolve(candidate.state === "activated" ? candidate : null);
    });
  });
}

/** The active download worker, registered on first use; null where there can be none. */
export function downloadWorker(): Promise<ServiceWorker | null> {
  worker ??= (async () => {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return null;
    try {
      const registration = await navigator.serviceWorker.register(SCRIPT, {
        scope: SCOPE,
        updateViaCache: "none",
      });
      // The newest first: after an update the old worker is still active for a moment, and it
      // may not speak the messages this page sends.
      const candidate = registration.installing ?? registration.waiting ?? registration.active;
      return candidate ? await activated(candidate) : null;
    } catch {
      return null;
    }
  })();
  return worker;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What stopped a download in the worker, as the page's errors; the server's refusals by `refused`. */
function workerFailure(
  message: Extract<WorkerMessage, { type: "error" }>,
  network: () => Error,
): Error {
  if (message.chunk !== undefined) return new FileDecryptionError(message.chunk);
  if (message.network) return network();
  return new Error(message.message ?? "download_failed");
}

/**
 * Has `sw` fetch, decrypt and save one file under `request.name` (already sanitised). Resolves
 * once every chunk authenticated and went to the browser; rejects when `signal` aborts, the
 * browser cancels the download, the server refuses (`refused` makes its error) or the worker
 * stops (a damaged chunk, a lost connection): the worker then fails the download, so no partial
 * file is presented as complete.
 */
export async function saveStream(args: {
  sw: ServiceWorker;
  request: Omit<DownloadRequest, "type" | "id">;
  signal: AbortSignal;
  onProgress: (done: number) => void;
  refused: (status: number, body: unknown) => Error;
  network: () => Error;
}): Promise<void> {
  const { sw, signal } = args;
  const id = randomId();
  const { port1: port, port2 } = new MessageChannel();
  // Set by the port's handler; "as" keeps TypeScript from narrowing it to null out here.
  let frame = null as HTMLIFrameElement | null;
  const keepalive = setInterval(() => sw.postMessage({ type: DOWNLOAD_KEEPALIVE }), KEEPALIVE_MS);

  const done = new Promise<void>((resolve, reject) => {
    const stop = (error: Error) => {
      port.close();
      reject(error);
    };
    signal.addEventListener(
      "abort",
      () => {
        port.postMessage({ type: "cancel" } satisfies PageMessage);
        stop(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      },
      { once: true },
    );
    port.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === "ready") {
        // The navigation the worker answers; a hidden frame, so this page stays where it is.
        frame = document.createElement("iframe");
        frame.hidden = true;
        frame.src = `${SCOPE}${id}`;
        document.body.append(frame);
      } else if (message.type === "progress") {
        args.onProgress(message.done);
      } else if (message.type === "end") {
        port.close();
        resolve();
      } else if (message.type === "cancel") {
        // Cancelled in the browser's downloads; the row says the download stopped.
        stop(new DOMException("download_cancelled", ABORT_ERROR));
      } else if (message.type === "refused") {
        stop(args.refused(message.status, message.body));
      } else {
        stop(workerFailure(message, args.network));
      }
    };
  });
  sw.postMessage({ type: DOWNLOAD_REQUEST, id, ...args.request } satisfies DownloadRequest, [
    port2,
  ]);
  try {
    await done;
  } catch (error) {
    // Stopped: removing the frame cancels whatever the browser made of the navigation.
    frame?.remove();
    throw error;
  } finally {
    clearInterval(keepalive);
  }
  // Not at once: a small file is pulled whole before the browser has turned the navigation into a
  // download, and removing the frame then cancels it (a 68 KB file was never saved in one CI run).
  const lingering = frame;
  setTimeout(() => lingering?.remove(), FRAME_LINGER_MS);
}
