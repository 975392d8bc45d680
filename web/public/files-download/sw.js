/**
 * Hushlink's download service worker (issue 17): saves a file the page decrypts as a stream, so
 * the page never holds the whole file. The page hands over a MessagePort and a random download id,
 * then navigates a hidden frame to /files-download/<id>; this worker answers that navigation with a
 * body it pulls from the port one decrypted chunk at a time (back-pressure: a chunk is only asked
 * for once the browser has taken the last). The answer is always an attachment of type
 * application/octet-stream under the name the page sanitised, sandboxed by its own CSP, so nothing
 * is ever rendered. Its scope is /files-download/ alone; it caches nothing and leaves every other
 * request to the network. The id is only a handle on a port in this browser, not a secret.
 */
"use strict";

/** @type {Map<string, {port: MessagePort, name: string, size: number}>} */
const pending = new Map();
const scopePath = new URL(self.registration.scope).pathname;

self.addEventListener("install", () => void self.skipWaiting());

self.addEventListener("message", (event) => {
  const data = event.data;
  const port = event.ports[0];
  if (event.origin !== self.location.origin || !port) return;
  if (!data || data.type !== "hushlink-download" || !/^[0-9a-f]{32}$/.test(data.id)) return;
  if (typeof data.name !== "string" || !Number.isSafeInteger(data.size) || data.size < 0) return;
  pending.set(data.id, { port, name: data.name, size: data.size });
  // A download nobody fetched within a minute is forgotten.
  setTimeout(() => pending.delete(data.id), 60_000);
  port.postMessage({ type: "ready" });
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(scopePath)) return;
  const id = url.pathname.slice(scopePath.length);
  const download = pending.get(id);
  pending.delete(id);
  if (!download || event.request.method !== "GET") {
    event.respondWith(
      new Response(null, { status: 404, headers: { "cache-control": "no-store" } }),
    );
    return;
  }
  event.respondWith(
    new Response(bodyFrom(download.port), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": disposition(download.name),
        "content-length": String(download.size),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
    }),
  );
});

/** The body: each pull asks the page for the next chunk and waits for it. */
function bodyFrom(port) {
  /** @type {((message: any) => void) | null} */
  let waiting = null;
  port.onmessage = (event) => {
    const resolve = waiting;
    waiting = null;
    resolve?.(event.data);
  };
  return new ReadableStream(
    {
      async pull(controller) {
        const message = await new Promise((resolve) => {
          waiting = resolve;
          port.postMessage({ type: "pull" });
        });
        if (message?.type === "chunk" && message.bytes instanceof Uint8Array) {
          controller.enqueue(message.bytes);
        } else if (message?.type === "end") {
          controller.close();
          port.close();
        } else {
          controller.error(new Error("The download stopped."));
          port.close();
        }
      },
      cancel() {
        port.postMessage({ type: "cancel" });
        port.close();
      },
    },
    { highWaterMark: 1 },
  );
}

/** attachment, with an ASCII fallback name and the exact one in RFC 5987 form. */
function disposition(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
