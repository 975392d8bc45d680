/**
 * Saving a decrypted file as a stream (issue 17): the download service worker
 * (web/public/files-download/sw.js) answers a hidden frame's navigation with a body it pulls from
 * this page one chunk at a time, so the browser writes the file while it is decrypted and the page
 * never holds more than a few chunks. Where service workers are unavailable (no secure context,
 * blocked, private modes of some browsers) the caller falls back to a Blob.
 */
import { sanitiseFileName } from "@hushlink/protocol/client";

const SCOPE = "/files-download/";
const SCRIPT = `${SCOPE}sw.js`;
/** How long a first registration may take to activate before the Blob path is used instead. */
const ACTIVATION_MS = 5000;

const ABORT_ERROR = "AbortError";
/** How long the hidden frame of a finished download stays: time for the browser to take it over. */
const FRAME_LINGER_MS = 60_000;

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
      const candidate = registration.active ?? registration.waiting ?? registration.installing;
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

/** A chunk the port can transfer without a copy: a view of a whole ArrayBuffer. */
function transferable(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0;
  return whole && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes);
}

/**
 * Streams `plaintext` into the browser's downloads through `sw` under a sanitised name. Resolves
 * once the last byte was handed over; rejects when `signal` aborts, the browser cancels the
 * download, or the stream fails (the worker then fails the download, so no partial file is kept).
 */
export async function saveStream(args: {
  sw: ServiceWorker;
  plaintext: ReadableStream<Uint8Array>;
  name: string;
  size: number;
  signal: AbortSignal;
}): Promise<void> {
  const { sw, plaintext, signal } = args;
  const id = randomId();
  const { port1: port, port2 } = new MessageChannel();
  const reader = plaintext.getReader();
  // Set by the port's handler; "as" keeps TypeScript from narrowing it to null out here.
  let frame = null as HTMLIFrameElement | null;

  const done = new Promise<void>((resolve, reject) => {
    const stop = (error: unknown) => {
      port.postMessage({ type: "error" });
      port.close();
      reader.cancel().catch(() => undefined);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    signal.addEventListener("abort", () => stop(signal.reason), { once: true });
    port.onmessage = (event: MessageEvent<{ type?: string }>) => {
      const type = event.data.type;
      if (type === "ready") {
        // The navigation the worker answers; a hidden frame, so this page stays where it is.
        frame = document.createElement("iframe");
        frame.hidden = true;
        frame.src = `${SCOPE}${id}`;
        document.body.append(frame);
      } else if (type === "cancel") {
        // Cancelled in the browser's downloads; the row says the download stopped.
        stop(new DOMException("download_cancelled", ABORT_ERROR));
      } else if (type === "pull") {
        reader.read().then(({ done: end, value }) => {
          if (end) {
            port.postMessage({ type: "end" });
            port.close();
            resolve();
          } else {
            const bytes = transferable(value);
            port.postMessage({ type: "chunk", bytes }, [bytes.buffer]);
          }
        }, stop);
      }
    };
  });
  sw.postMessage(
    { type: "hushlink-download", id, name: sanitiseFileName(args.name), size: args.size },
    [port2],
  );
  try {
    await done;
  } catch (error) {
    // Stopped: removing the frame cancels whatever the browser made of the navigation.
    frame?.remove();
    throw error;
  }
  // Not at once: a small file is pulled whole before the browser has turned the navigation into a
  // download, and removing the frame then cancels it (a 68 KB file was never saved in one CI run).
  const lingering = frame;
  setTimeout(() => lingering?.remove(), FRAME_LINGER_MS);
}
