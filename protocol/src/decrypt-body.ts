/**
 * A download's body → plaintext (issue 17): decryptStream's format and guarantees (chunks
 * released in order and only once they authenticated; a blob cut, reordered or altered fails with
 * FileDecryptionError; `expectedSize` checked at the end), read with less work per MiB where the
 * body is a byte stream, as fetch's is in browsers and in Node. decryptStream takes the pieces a
 * body yields (fetch allocates each, 512 KiB in Chromium) and copies them into a fresh block of a
 * chunk; here a BYOB reader reads straight into one chunk buffer, used again for every chunk,
 * because WebCrypto copies its input when decrypt is called. In Chromium that copy and allocation
 * per MiB were a fifth of the page's main thread while downloading (bench/README.md, thirteenth
 * round). Memory: that buffer, at most `parallel` chunks in WebCrypto and one released chunk,
 * whatever the file size.
 */
import { ENCRYPTED_CHUNK_BYTES } from "./file-sizes.js";
import { checkParallel, decryptStream, importFileKey, openChunk, type FileKey } from "./files.js";

export function decryptBody(
  body: ReadableStream<Uint8Array>,
  fileKey: Uint8Array,
  options: { expectedSize?: number; parallel?: number } = {},
): ReadableStream<Uint8Array> {
  const parallel = checkParallel(options.parallel ?? 1);
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream (a stream a caller made): pieces through decryptStream, as before.
    return body.pipeThrough(decryptStream(fileKey, options));
  }
  const keyPromise = importFileKey(fileKey);
  // A chunk and one byte more: a chunk is only known not to be the last once a byte follows it.
  const span = ENCRYPTED_CHUNK_BYTES + 1;
  let buffer = new ArrayBuffer(span);
  let filled = 0;
  let ended = false;
  let started = 0;
  let lastStarted = false;
  const pending: Promise<Uint8Array | null>[] = [];

  /** Reads until the buffer holds a chunk and the byte after it, or the body ended. */
  const fill = async () => {
    while (!ended && filled < span) {
      // A BYOB read takes the buffer over and gives it back in `value` (empty at the end).
      const { done, value } = await reader.read(new Uint8Array(buffer, filled, span - filled));
      if (value) buffer = value.buffer;
      if (done) ended = true;
      else filled += value.byteLength;
    }
  };

  /** Starts the decryption of the next chunk; its bytes may be overwritten once this returns. */
  const startNext = (key: FileKey) => {
    const last = ended && filled <= ENCRYPTED_CHUNK_BYTES;
    const length = last ? filled : ENCRYPTED_CHUNK_BYTES;
    const result = openChunk(
      key,
      started++,
      last,
      new Uint8Array(buffer, 0, length),
      options.expectedSize,
    );
    // Raised when its turn comes; until then a rejection is not an unhandled one.
    result.catch(() => undefined);
    pending.push(result);
    lastStarted = last;
    // The byte after this chunk is the first of the next one.
    if (!last) new Uint8Array(buffer).copyWithin(0, ENCRYPTED_CHUNK_BYTES, filled);
    filled = last ? 0 : filled - ENCRYPTED_CHUNK_BYTES;
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const key = await keyPromise;
          for (;;) {
            while (!lastStarted && pending.length < parallel) {
              await fill();
              startNext(key);
            }
            const next = pending.shift();
            if (!next) return controller.close();
            const plaintext = await next;
            if (plaintext) return controller.enqueue(plaintext);
          }
        } catch (error) {
          // Nothing after a bad chunk is read or released; the download itself is stopped.
          reader.cancel(error).catch(() => undefined);
          throw error;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}
