/**
 * Hushlink's download service worker (issue 17), built on its own into /files-download/sw.js
 * (vite.sw.config.ts). It fetches a file's ciphertext itself, with the download token in its
 * header, decrypts it with the protocol's decryptBody (every check of it: order, last-chunk flag,
 * truncation, expected size) and streams the plaintext straight into the download's response,
 * so the plaintext never crosses to the page. Before, the page decrypted and posted every chunk
 * here, and that hand-over bounded the download (bench/README.md, thirteenth round); the page
 * now only starts a download, shows the progress this worker reports and its errors.
 *
 * The page sends a DownloadRequest with a MessagePort; once the server answered 2xx the page
 * navigates a hidden frame to /files-download/<id>, and this worker answers that navigation. The
 * answer is always an attachment of type application/octet-stream under the name the page
 * sanitised, sandboxed by its own CSP, so nothing is ever rendered. A chunk that fails to decrypt
 * errors the body, so the browser marks the download failed and never presents the partial file
 * as complete. Its scope is /files-download/ alone; it caches nothing, logs nothing, and leaves
 * every other request to the network.
 */
import { decryptBody, fromBase64Url } from "@hushlink/protocol/client";

import {
  CRYPTO_PARALLEL,
  DOWNLOAD_REQUEST,
  type DownloadRequest,
  type PageMessage,
  type WorkerMessage,
} from "./download-messages";

/** The parts of ServiceWorkerGlobalScope used here (the web project's types are the DOM's). */
interface WorkerScope {
  registration: { scope: string };
  location: Location;
  skipWaiting(): Promise<void>;
  addEventListener(type: "install", listener: () => void): void;
  addEventListener(type: "message", listener: (event: RequestEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
}
interface RequestEvent {
  data: unknown;
  origin: string;
  ports: readonly MessagePort[];
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

interface Pending {
  request: DownloadRequest;
  port: MessagePort;
  body: ReadableStream<Uint8Array>;
  timer: ReturnType<typeof setTimeout>;
}

const scope = self as unknown as WorkerScope;
const scopePath = new URL(scope.registration.scope).pathname;
/** Downloads whose ciphertext answered, waiting for their frame's navigation. */
const pending = new Map<string, Pending>();
/** A download nobody navigated to within a minute is dropped, its ciphertext with it. */
const UNCLAIMED_MS = 60_000;
/** The download's own CSP: nothing in it may run or load, were a browser ever to render it. */
const ANSWER_CSP = "default-src 'none'; sandbox";
const ABORT_ERROR = "AbortError";
const BLOB_PATH = /^\/api\/v1\/(?:shares|requests)\/[^/?#]+\/blobs\/[^/?#]+$/;

function isRequest(data: unknown): data is DownloadRequest {
  const d = data as Partial<DownloadRequest> | null;
  return (
    typeof d === "object" &&
    d !== null &&
    d.type === DOWNLOAD_REQUEST &&
    typeof d.id === "string" &&
    /^[0-9a-f]{32}$/.test(d.id) &&
    typeof d.path === "string" &&
    BLOB_PATH.test(d.path) &&
    typeof d.downloadToken === "string" &&
    typeof d.key === "string" &&
    typeof d.name === "string" &&
    Number.isSafeInteger(d.size) &&
    (d.size ?? -1) >= 0
  );
}

function tell(port: MessagePort, message: WorkerMessage): void {
  port.postMessage(message);
}

scope.addEventListener("install", () => void scope.skipWaiting());

scope.addEventListener("message", (event) => {
  const port = event.ports[0];
  if (event.origin !== scope.location.origin || !port || !isRequest(event.data)) return;
  event.waitUntil(start(event.data, port));
});

/** Fetches the ciphertext; on a 2xx keeps its body for the frame's navigation. */
async function start(request: DownloadRequest, port: MessagePort): Promise<void> {
  const controller = new AbortController();
  port.onmessage = (event: MessageEvent<PageMessage>) => {
    if (event.data.type === "cancel") controller.abort();
  };
  let response: Response;
  try {
    response = await fetch(request.path, {
      headers: { "X-Download-Token": request.downloadToken },
      cache: "no-store",
      credentials: "same-origin",
      referrerPolicy: "no-referrer",
      signal: controller.signal,
    });
  } catch {
    if (!controller.signal.aborted) tell(port, { type: "error", network: true });
    port.close();
    return;
  }
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    tell(port, { type: "refused", status: response.status, body });
    port.close();
    return;
  }
  const body = response.body;
  const drop = () => {
    if (pending.get(request.id)?.body !== body) return;
    pending.delete(request.id);
    body.cancel().catch(() => undefined);
    port.close();
  };
  port.onmessage = (event: MessageEvent<PageMessage>) => {
    if (event.data.type === "cancel") drop();
  };
  pending.set(request.id, { request, port, body, timer: setTimeout(drop, UNCLAIMED_MS) });
  tell(port, { type: "ready" });
}

scope.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== scope.location.origin || !url.pathname.startsWith(scopePath)) return;
  const id = url.pathname.slice(scopePath.length);
  const download = pending.get(id);
  pending.delete(id);
  if (!download || event.request.method !== "GET") {
    event.respondWith(
      new Response(null, { status: 404, headers: { "cache-control": "no-store" } }),
    );
    return;
  }
  clearTimeout(download.timer);
  const { request } = download;
  event.respondWith(
    new Response(plaintextOf(download), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": disposition(request.name),
        // The browser fails a download that ends short of this, so a cut one is never complete.
        "content-length": String(request.size),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": ANSWER_CSP,
      },
    }),
  );
});

/**
 * The download's body: decryptBody's chunks, each reported to the page once released. An error
 * (a chunk that fails to authenticate, the connection lost, the page's cancel) errors the body,
 * which the browser shows as a failed download.
 */
function plaintextOf({ request, port, body }: Pending): ReadableStream<Uint8Array> {
  const reader = decryptBody(body, fromBase64Url(request.key), {
    expectedSize: request.size,
    parallel: CRYPTO_PARALLEL,
  }).getReader();
  let done = 0;
  let stopped = false;
  const stop = (message: WorkerMessage | null, reason: unknown) => {
    if (stopped) return;
    stopped = true;
    reader.cancel(reason).catch(() => undefined);
    if (message) tell(port, message);
    port.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        port.onmessage = (event: MessageEvent<PageMessage>) => {
          if (event.data.type !== "cancel") return;
          const reason = new DOMException("download_cancelled", ABORT_ERROR);
          controller.error(reason);
          stop(null, reason);
        };
      },
      async pull(controller) {
        try {
          const { done: end, value } = await reader.read();
          if (stopped) return;
          if (end) {
            controller.close();
            stop({ type: "end" }, undefined);
            return;
          }
          controller.enqueue(value);
          done += value.byteLength;
          tell(port, { type: "progress", done });
        } catch (error) {
          if (stopped) return;
          controller.error(error);
          stop(errorMessage(error), error);
        }
      },
      cancel(reason) {
        stop({ type: "cancel" }, reason);
      },
    },
    { highWaterMark: 1 },
  );
}

function errorMessage(error: unknown): WorkerMessage {
  const chunk = (error as { chunk?: unknown } | null)?.chunk;
  if (error instanceof Error && error.name === "FileDecryptionError" && typeof chunk === "number") {
    return { type: "error", chunk };
  }
  // fetch's body fails with a TypeError when the connection drops.
  if (error instanceof TypeError) return { type: "error", network: true };
  return { type: "error", message: error instanceof Error ? error.message : String(error) };
}

/** attachment, with an ASCII fallback name and the exact one in RFC 5987 form. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  // eslint-disable-next-line lingui/no-unlocalized-strings -- a header value, no words
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
