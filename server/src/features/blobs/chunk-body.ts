/**
 * The chunk route's body (SPEC §3.1), read into a few reused slabs of one encrypted chunk each
 * instead of a fresh Buffer per request (issue 17: server memory while files move). Fastify's
 * `parseAs: "buffer"` concatenated the request's pieces into a new 1 MiB Buffer per chunk; dead,
 * those waited for V8's external-memory trigger (about 64 MB) before anything freed them.
 *
 * The limits and answers are Fastify's own raw-body reading, unchanged: a Content-Length over the
 * limit is refused before a byte is read, a body growing past it as soon as it does (413
 * `FST_ERR_CTP_BODY_TOO_LARGE`), a body shorter or longer than its Content-Length with 400
 * `FST_ERR_CTP_INVALID_CONTENT_LENGTH`, a stream error with its status (400 unless it has one).
 *
 * The body handed on is a view of a slab: the route gives it back with `release` once the store
 * has finished with it (stored, or refused). A body never released (a request refused by its
 * schema after the body was read) is simply left to the garbage collector.
 */
import type { FastifyRequest } from "fastify";
import { errorCodes } from "fastify";

/** Slabs kept for reuse at most: the uploads in flight at once (a client sends 4). */
const KEPT_SLABS = 4;

export interface SlabPool {
  /** A slab of `size` bytes: a kept one, or a new one when all are in use. */
  take(): ArrayBuffer;
  /** Gives back the slab under `body`, once nothing reads it any more (other Buffers are ignored). */
  release(body: Buffer): void;
  /** Slabs ever allocated, and kept now (for tests). */
  stats(): { allocated: number; kept: number };
}

export function createSlabPool(size: number, kept = KEPT_SLABS): SlabPool {
  const free: ArrayBuffer[] = [];
  let allocated = 0;
  return {
    take() {
      const slab = free.pop();
      if (slab) return slab;
      allocated++;
      return new ArrayBuffer(size);
    },
    release(body) {
      const slab = body.buffer;
      if (slab.byteLength !== size || !(slab instanceof ArrayBuffer)) return;
      if (free.length < kept && !free.includes(slab)) free.push(slab);
    },
    stats: () => ({ allocated, kept: free.length }),
  };
}

type Done = (error: Error | null, body?: Buffer) => void;
interface Payload extends NodeJS.ReadableStream {
  receivedEncodedLength?: number;
}

/**
 * A content-type parser (Fastify's `(request, payload, done)` form) that reads at most `limit`
 * bytes into a slab of `pool` and hands on a Buffer over the bytes received.
 */
export function slabBodyParser(pool: SlabPool, limit: number) {
  return (request: FastifyRequest, payload: Payload, done: Done) => {
    const contentLength = Number(request.headers["content-length"]);
    if (contentLength > limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    let slab: Buffer | null = null;
    let received = 0;

    const stop = () => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onEnd);
    };
    const fail = (error: Error) => {
      stop();
      if (slab) pool.release(slab);
      done(error);
    };
    function onData(piece: Buffer | string) {
      const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
      const encoded = payload.receivedEncodedLength ?? 0;
      if (received + bytes.length > limit || encoded > limit) {
        fail(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      slab ??= Buffer.from(pool.take());
      bytes.copy(slab, received);
      received += bytes.length;
    }
    function onEnd(error?: Error & { statusCode?: number }) {
      if (error != null) {
        if (!(typeof error.statusCode === "number" && error.statusCode >= 400)) {
          error.statusCode = 400;
        }
        fail(error);
        return;
      }
      if (
        !Number.isNaN(contentLength) &&
        (payload.receivedEncodedLength || received) !== contentLength
      ) {
        fail(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      stop();
      done(null, slab ? slab.subarray(0, received) : Buffer.alloc(0));
    }

    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onEnd);
    payload.resume();
  };
}
