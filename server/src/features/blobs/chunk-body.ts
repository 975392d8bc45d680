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
 * request refused by its schema, blobs.routes.ts). `watchOf` ends a read when the request's
 * connection closes first.
 */
import { IncomingMessage } from "node:http";

import type { FastifyReply, FastifyRequest } from "fastify";
import { errorCodes } from "fastify";

import { freeNow } from "./chunk-writer.js";

import type { SlabPool } from "./slab-pool.js";

export { createSlabPool, type SlabPool } from "./slab-pool.js";

type Done = (error: Error | null, body?: Buffer) => void;

/** What a body cut short by its connection answers (to no one: the client is gone). */
const connectionClosed = () =>
  Object.assign(new Error("The connection closed before the chunk was stored."), {
    statusCode: 400,
  });

/**
 * What a chunk request's slab hangs on: whether its response closed (answered or cut), and the
 * read to end if it closes first.
 */
interface Watch {
  closed: boolean;
  /** The body's read, while one goes on (slabBodyParser). */
  onClose: (() => void) | null;
  /** The handler took the body: it gives the slab back itself once the store is done with it. */
  claimed: boolean;
  /** The slab went back here, the connection having closed before the handler took the body. */
  givenBack: boolean;
}

/**
 * Ties each chunk request's slab to its connection. The scope's `onRequest` hook watches the
 * request's response close, answered or cut: a cut ends a read (slabBodyParser). Then, unless the
 * handler claimed the body (it gives the slab back itself once the store is done with it), the
 * slab goes back here for the next body: a request refused by its schema never reaches the handler.
 *
 * A plain record and a callback, not an AbortController with an Error as its reason: every
 * answered PUT closes its response too, and building those on each of them was about 6% of the
 * main thread's samples of an upload (bench/README.md, twenty-third round). The Error is built
 * only when a read is really cut.
 */
export function slabsPerRequest(pool: SlabPool) {
  const watches = new WeakMap<FastifyRequest, Watch>();
  return {
    onRequest: (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const watch: Watch = { closed: false, onClose: null, claimed: false, givenBack: false };
      watches.set(request, watch);
      reply.raw.once("close", () => {
        watch.closed = true;
        watch.onClose?.();
        if (watch.claimed || !Buffer.isBuffer(request.body)) return;
        watch.givenBack = true;
        pool.release(request.body);
      });
      done();
    },
    watchOf: (request: FastifyRequest): Watch | undefined => watches.get(request),
    /** The handler's, first: the body is now its to give back; throws if it already went back. */
    claim: (request: FastifyRequest) => {
      const watch = watches.get(request);
      if (watch?.givenBack) throw connectionClosed();
      if (watch) watch.claimed = true;
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
  watchOf: (request: FastifyRequest) => Watch | undefined = () => undefined,
) {
  return (request: FastifyRequest, payload: Payload, done: Done) => {
    const contentLength = Number(request.headers["content-length"]);
    if (contentLength > limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const watch = watchOf(request);
    // Node's HTTP parser hands the body in pieces of up to 64 KiB, each a fresh copy in memory of
    // its own that nothing else holds once 'data' has been emitted. Left to the collector, 17-21
    // of them per chunk piled up until V8's external-memory trigger, and the allocator's fresh
    // pages for the next ones cost page faults: 54-68 us per piece against 10-11 freed at once
    // (bench/README.md, twenty-third round). Any other source (a preParsing hook's stream, an
    // injected request) may hand memory it keeps, and is only copied.
    const ownPieces = payload instanceof IncomingMessage;
    let slab: Buffer | null = null;
    let received = 0;

    const stop = () => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onEnd);
      if (watch) watch.onClose = null;
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
      if (ownPieces && bytes === piece) freeNow(bytes);
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

    if (watch?.closed) {
      done(connectionClosed());
      return;
    }
    slab = Buffer.from(pool.take());
    if (watch) watch.onClose = onAbort;
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onEnd);
    payload.resume();
  };
}
