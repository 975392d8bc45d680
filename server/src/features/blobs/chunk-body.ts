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
 * The body handed on is a view of a slab (slab-pool.ts): the route gives it back once the store
 * has finished with it (stored, or refused), or once the answer went without the handler (a
 * request refused by its schema, blobs.routes.ts). `signal` ends a read when the request's
 * connection closes first.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorCodes } from "fastify";

import type { SlabPool } from "./slab-pool.js";

export { createSlabPool, type SlabPool } from "./slab-pool.js";

type Done = (error: Error | null, body?: Buffer) => void;

/** What a body cut short by its connection answers (to no one: the client is gone). */
const connectionClosed = () =>
  Object.assign(new Error("The connection closed before the chunk was stored."), {
    statusCode: 400,
  });

/**
 * Ties each chunk request's slab to its connection. The scope's `onRequest` hook gives the request
 * a signal that aborts when its response closes, answered or cut: a cut ends a read
 * (slabBodyParser). Then, unless the handler claimed the body (it gives the slab back itself once
 * the store is done with it), the slab goes back here for the next body: a request refused by its
 * schema never reaches the handler.
 */
export function slabsPerRequest(pool: SlabPool) {
  const signals = new WeakMap<FastifyRequest, AbortSignal>();
  const claimed = new WeakSet<FastifyRequest>();
  const givenBack = new WeakSet<FastifyRequest>();
  return {
    onRequest: (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const controller = new AbortController();
      signals.set(request, controller.signal);
      reply.raw.once("close", () => {
        controller.abort(connectionClosed());
        if (claimed.has(request) || !Buffer.isBuffer(request.body)) return;
        givenBack.add(request);
        pool.release(request.body);
      });
      done();
    },
    signalOf: (request: FastifyRequest) => signals.get(request),
    /** The handler's, first: the body is now its to give back; throws if it already went back. */
    claim: (request: FastifyRequest) => {
      if (givenBack.has(request)) throw connectionClosed();
      claimed.add(request);
    },
  };
}
interface Payload extends NodeJS.ReadableStream {
  receivedEncodedLength?: number;
}

/**
 * A content-type parser (Fastify's `(request, payload, done)` form) that reads at most `limit`
 * bytes into a slab of `pool` and hands on a Buffer over the bytes received.
 */
export function slabBodyParser(
  pool: SlabPool,
  limit: number,
  signalOf: (request: FastifyRequest) => AbortSignal | undefined = () => undefined,
) {
  return (request: FastifyRequest, payload: Payload, done: Done) => {
    const contentLength = Number(request.headers["content-length"]);
    if (contentLength > limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const signal = signalOf(request);
    let slab: Buffer | null = null;
    let received = 0;

    const stop = () => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onEnd);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: Error) => {
      stop();
      if (slab) pool.release(slab);
      done(error);
    };
    function onAbort() {
      fail(connectionClosed());
    }
    function onData(piece: Buffer | string) {
      const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
      const encoded = payload.receivedEncodedLength ?? 0;
      if (received + bytes.length > limit || encoded > limit) {
        fail(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      bytes.copy(slab!, received);
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
      done(null, slab!.subarray(0, received));
    }

    if (signal?.aborted) {
      done(connectionClosed());
      return;
    }
    slab = Buffer.from(pool.take());
    signal?.addEventListener("abort", onAbort, { once: true });
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onEnd);
    payload.resume();
  };
}
