/**
 * What the page and the download service worker (download-sw.ts) say to each other. The page
 * sends one `DownloadRequest` to the worker with a MessagePort; everything after goes over that
 * port. The worker fetches the ciphertext itself and decrypts it into the download's body, so
 * no plaintext ever crosses to the page (bench/README.md, fourteenth round).
 */

/**
 * Chunks encrypted or decrypted at once, by the page and by the worker. Chromium runs WebCrypto
 * off the calling thread, and one chunk at a time left the caller waiting on it (measured 4 Dec:
 * 184 MB/s decrypting one 1 MiB chunk after another, 428 MB/s four at a time); four cost four
 * chunks of memory.
 */
export const CRYPTO_PARALLEL = 4;

export const DOWNLOAD_REQUEST = "hushlink-download";
/** Sent by the page while a download runs: a message event keeps the worker from idling out. */
export const DOWNLOAD_KEEPALIVE = "hushlink-keepalive";

export interface DownloadRequest {
  type: typeof DOWNLOAD_REQUEST;
  /** A random handle on this download in this browser (32 hex digits), not a secret. */
  id: string;
  /** Same-origin path of the blob, `/api/v1/…/blobs/{B}`: never carries the token. */
  path: string;
  /** Sent in the X-Download-Token header only, never in a URL. */
  downloadToken: string;
  /** The file key, base64url, as the share's payload holds it. */
  key: string;
  /** Already sanitised by the page. */
  name: string;
  size: number;
}

/** Worker → page. */
export type WorkerMessage =
  /** The ciphertext's answer was 2xx: the page may navigate its hidden frame to the download. */
  | { type: "ready" }
  /** The server refused: its status and its JSON body (the page turns it into an ApiError). */
  | { type: "refused"; status: number; body: unknown }
  /** Plaintext bytes released so far (each chunk authenticated before it counts). */
  | { type: "progress"; done: number }
  /** Every chunk authenticated and handed to the browser; the size matched. */
  | { type: "end" }
  /** Cancelled in the browser's downloads. */
  | { type: "cancel" }
  /** Stopped: `chunk` set for a chunk that failed to decrypt, `network` for a lost connection. */
  | { type: "error"; chunk?: number; network?: boolean; message?: string };

/** Page → worker, over the port. */
export type PageMessage = { type: "cancel" };
