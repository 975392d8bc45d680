/**
 * A download's body, written to the response chunk by chunk, each chunk's memory freed as soon as
 * the socket has written it (issue 17). The stores hand every chunk back as a fresh 1 MiB Buffer
 * (better-sqlite3, pg and the S3 SDK alike); left to the collector, the dead ones piled up until
 * V8's external-memory trigger (about 64 MB) started a collection, which kept a download's
 * server RSS 70–90 MB above idle.
 */
import type { Writable } from "node:stream";
import { Readable } from "node:stream";
import { MessageChannel } from "node:worker_threads";

// Posting an ArrayBuffer in the transfer list detaches it even when the port is closed; the
// message is then dropped, and the memory with it, before postMessage returns. Node 20 has no
// ArrayBuffer.prototype.transfer, and this works the same on every version the project supports.
const sink = new MessageChannel().port1;
sink.close();

/**
 * Frees the memory of `bytes` at once when the Buffer is the whole of its ArrayBuffer (a slice of
 * Node's shared pool, or of anything bigger, is left to the collector). The caller must own it:
 * every view of that memory reads as empty afterwards. Answers whether it was freed.
 */
export function freeNow(bytes: Buffer): boolean {
  const memory = bytes.buffer;
  if (!(memory instanceof ArrayBuffer)) return false;
  // Empty, or freed already (a detached ArrayBuffer reads as 0 bytes): nothing to free, and Node 24
  // throws DataCloneError for a detached ArrayBuffer in a transfer list (Node 20 ignores it).
  if (memory.byteLength === 0) return false;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== memory.byteLength) return false;
  try {
    sink.postMessage(null, [memory]);
  } catch {
    // Memory Node will not transfer (marked untransferable): the collector's. A throw here would
    // end the process from a write callback.
    return false;
  }
  return true;
}

/** What to send (`bytes`) and the chunk it was cut from (`chunk`), which the sender owns. */
export interface Piece {
  bytes: Buffer;
  chunk: Buffer;
}

/**
 * The body Fastify sends as a stream. Fastify pipes a stream into the response, and `pipe` never
 * says when the socket has written a chunk; freeing memory libuv may still be writing from would
 * send whatever takes its place. So `pipe` is replaced by a loop of `write`s, whose callbacks do
 * say it, with the same back-pressure (one piece read ahead while the socket writes, then wait for
 * 'drain'). Fastify's own listeners keep their meaning: the response closing early destroys this
 * stream, which stops the loop and closes the pieces' source (no further chunk is read); an error
 * from the source destroys this stream with it.
 */
export class ChunkWriter extends Readable {
  constructor(private readonly pieces: AsyncIterable<Piece>) {
    super();
  }

  override _read(): void {
    // Nothing is pushed: the pieces go straight to the response in `pipe`.
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    void this.writeAll(destination as unknown as Writable, options?.end ?? true);
    return destination;
  }

  private async writeAll(out: Writable, end: boolean): Promise<void> {
    const source = this.pieces[Symbol.asyncIterator]();
    // A read ahead may fail while the loop waits for 'drain': marked handled at once (Node ends
    // the process on an unhandled rejection), and raised when the loop awaits it.
    const readAhead = () => {
      const next = source.next();
      next.catch(() => undefined);
      return next;
    };
    // The read ahead, until the loop takes it: from then on its chunk is the loop's to free, never
    // the finally's as well (freeing it twice crashed Node 24, see freeNow).
    let ahead: Promise<IteratorResult<Piece>> | null = readAhead();
    try {
      while (ahead !== null) {
        const read: IteratorResult<Piece> = await ahead;
        ahead = null;
        if (read.done) break;
        const value = read.value;
        if (this.destroyed || out.destroyed) {
          freeNow(value.chunk);
          return;
        }
        // Only on success: a failed write may still be in libuv's hands, so the collector frees it.
        const fits = out.write(value.bytes, (err) => {
          if (!err) freeNow(value.chunk);
        });
        ahead = readAhead();
        if (!fits && !(await drained(out))) return;
        if (this.destroyed) return;
      }
      if (end) out.end();
      this.push(null);
      // Flowing, so 'end' is emitted (nothing was pushed) and Fastify sees a finished stream.
      this.resume();
    } catch (err) {
      this.destroy(err as Error);
    } finally {
      // Stopped early: the read ahead is settled and dropped, and the source closed.
      void ahead?.then(
        (read) => {
          if (!read.done) freeNow(read.value.chunk);
        },
        () => undefined,
      );
      await source.return?.().catch(() => undefined);
    }
  }
}

/** True once `out` drained, false if it closed first. */
function drained(out: Writable): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    const settle = (ok: boolean) => {
      out.off("drain", onDrain);
      out.off("close", onClose);
      resolve(ok);
    };
    out.on("drain", onDrain);
    out.on("close", onClose);
  });
}
