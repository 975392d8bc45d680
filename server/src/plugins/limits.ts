/**
 * Limits against slow and oversized clients (issue 10). Node's HTTP server enforces them before
 * a request reaches Fastify's router; this file chooses the values and answers their refusals in
 * the API's own error shape:
 *
 * - headers must arrive within HEADERS_TIMEOUT_MS of the first byte (a client trickling one byte a
 *   second is cut off; so is one that connects and sends nothing), the whole request within
 *   REQUEST_TIMEOUT_MS; an idle keep-alive connection closes after KEEP_ALIVE_TIMEOUT_MS;
 * - headers (request line included) may take 16 KiB, Node's default: more answers 431;
 * - an HTTP/1.1 request without `Host`, or any with two, answers 400 (RFC 9112 §3.2): Node's own
 *   check answered the first with an empty body and let the second through, so it is switched
 *   off and made in `refuseRequestsWithoutHost` instead;
 * - an `Expect` other than `100-continue` answers 417 `expectation_failed` (RFC 9110 §10.1.1),
 *   which Node also answered with an empty body;
 * - bodies: only share creation carries a secret, so only it gets the app-wide limit sized for
 *   the largest ciphertext; every other route takes 16 KiB unless it sets `bodyLimit` itself
 *   (request submissions and logo uploads do).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

import type { ErrorCode } from "@hushlink/protocol";
import type { ConnectionError, FastifyInstance } from "fastify";

import type { Config } from "../config.js";
import { REQUEST_ID_HEADER } from "./http-conventions.js";
import { fixedHeaders } from "./security-headers.js";

export const MAX_HEADER_BYTES = 16 * 1024;
export const SMALL_BODY_LIMIT = 16 * 1024;

/** "METHOD /pattern" of routes that keep the app-wide body limit without setting their own. */
const LARGE_BODY_ROUTES = new Set(["POST /api/v1/shares"]);

/** Fastify server options for the timeouts above. */
export function serverLimits(http: Config["http"], options: { hsts: boolean }) {
  // Node's own refusals carry the headers of every answer too (SPEC §3), written out once.
  const headerLines = fixedHeaders(options)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return {
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    // Socket inactivity: longer than keep-alive, so an idle connection closes cleanly first.
    connectionTimeout: Math.max(60_000, http.keepAliveTimeoutMs + 1_000),
    http: {
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      maxHeaderSize: MAX_HEADER_BYTES,
      // Made by refuseRequestsWithoutHost, which answers in the API's error shape.
      requireHostHeader: false,
      // Node checks the two timeouts on this interval (default 30 s, which would let a slow
      // client hold its connection for up to 30 s past the limit).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1_000, Math.floor(http.headersTimeoutMs / 4)),
      ),
    },
    clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
      clientErrorHandler.call(this, error, socket, headerLines);
    },
  };
}

/**
 * Gives routes without a `bodyLimit` of their own the small limit, and lets Node's refusals know
 * a HEAD request (see `rememberFirstMethod`). Register before the routes.
 */
export function registerLimits(app: FastifyInstance, options: { hsts: boolean }): void {
  app.server.on("connection", rememberFirstMethod);
  const headers = fixedHeaders(options);
  refuseRequestsWithoutHost(app, headers);
  // Node emits this for an Expect it does not know (it answers 100-continue itself), instead of
  // its bare 417; the request is not routed, so nothing it carries is acted on.
  app.server.on("checkExpectation", (_request: IncomingMessage, response: ServerResponse) => {
    refuseUnrouted.call(app, response, headers, UNKNOWN_EXPECTATION);
  });
  app.addHook("onRoute", (route) => {
    if (route.bodyLimit !== undefined) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((method) => LARGE_BODY_ROUTES.has(`${method} ${route.url}`))) return;
    route.bodyLimit = SMALL_BODY_LIMIT;
  });
}

// The codes are the catalogue's (ErrorCode): a refusal here is an answer of the API like any other.
const CLIENT_ERRORS: Record<string, [number, string, ErrorCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    "Request Timeout",
    "request_timeout",
    "The request took too long to arrive.",
  ],
  HPE_HEADER_OVERFLOW: [
    431,
    "Request Header Fields Too Large",
    "headers_too_large",
    `The request headers are larger than this server accepts (${MAX_HEADER_BYTES / 1024} KiB).`,
  ],
};

/**
 * Errors Node raises before a request exists (timeouts, header overflow, unparsable HTTP): one
 * answer in the API's shape, then the connection closes. Logged at debug: they are the client's
 * problem, and a flood of them must not flood the log.
 */
function clientErrorHandler(
  this: FastifyInstance,
  error: ConnectionError,
  socket: Socket,
  headerLines: string,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, reason, code, message]: [number, string, ErrorCode, string] = CLIENT_ERRORS[
    error.code
  ] ?? [400, "Bad Request", "invalid_request", "The request is not valid HTTP."];
  this.log.debug({ code: error.code, status }, "client error");
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message } });
    // An answer to HEAD has no body (RFC 9110 §9.3.2): the same head as GET's, Content-Length
    // included, and nothing after it.
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n` +
        `${headerLines}${REQUEST_ID_HEADER}: ${randomUUID()}\r\n` +
        `Connection: close\r\n\r\n${isHeadRequest(error, socket) ? "" : body}`,
    );
  }
  socket.destroy();
}

const REQUEST_LINE = /^[A-Z]{3,10} /;
const FIRST_IS_HEAD = Symbol("hushlink.firstRequestIsHead");

interface WatchedSocket extends Socket {
  [FIRST_IS_HEAD]?: boolean;
}

/** Node's parser as far as it is used here (lib/_http_common.js, src/node_http_parser.cc). */
interface HttpParser {
  [callback: number]: unknown;
  getCurrentBuffer?: () => Buffer;
}

/**
 * Whether a request Node refused before it existed was a HEAD. Node gives the error only the
 * chunk it failed in (`rawPacket`): when that starts with a request line, it says; when the
 * headers came in several chunks, the method was in the connection's first one, which
 * `rememberFirstMethod` read. (A later request on a kept-alive connection whose oversized headers
 * arrive split is taken for a GET: the body then follows a HEAD's answer on a connection that
 * closes, which clients discard.)
 */
function isHeadRequest(error: ConnectionError, socket: WatchedSocket): boolean {
  const raw = (error as { rawPacket?: unknown }).rawPacket;
  if (Buffer.isBuffer(raw)) {
    const start = raw.subarray(0, 11).toString("latin1");
    if (REQUEST_LINE.test(start)) return start.startsWith("HEAD ");
  }
  return socket[FIRST_IS_HEAD] === true;
}

/**
 * Notes whether a connection's first request is a HEAD, from the first chunk Node's parser reads
 * (Node hands chunks to its parser without JavaScript seeing them, so the parser's after-execute
 * callback is wrapped for that one chunk and then given back: later requests cost nothing).
 */
function rememberFirstMethod(socket: WatchedSocket & { parser?: HttpParser | null }): void {
  const parser = socket.parser;
  const index = (parser?.constructor as { kOnExecute?: unknown } | undefined)?.kOnExecute;
  if (!parser || typeof index !== "number" || typeof parser.getCurrentBuffer !== "function") return;
  const original = parser[index];
  if (typeof original !== "function") return;
  const readChunk = parser.getCurrentBuffer.bind(parser);
  parser[index] = function (this: unknown, ...args: unknown[]): unknown {
    parser[index] = original;
    socket[FIRST_IS_HEAD] = readChunk().subarray(0, 5).toString("latin1") === "HEAD ";
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
}

/**
 * A refusal of a request Node parsed but Fastify is not given, in the API's error shape with the
 * headers of every answer; the connection then closes. A HEAD gets the head alone (Node leaves
 * out the body of an answer to HEAD, Content-Length included as GET's).
 */
function refuseUnrouted(
  this: FastifyInstance,
  response: ServerResponse,
  headers: readonly (readonly [string, string])[],
  [status, code, message]: Refusal,
): void {
  const body = JSON.stringify({ error: { code, message } });
  this.log.debug({ code, status }, "request refused before routing");
  response.writeHead(status, {
    ...Object.fromEntries(headers),
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    [REQUEST_ID_HEADER]: randomUUID(),
    connection: "close",
  });
  response.end(body);
}

type Refusal = readonly [number, ErrorCode, string];

const MISSING_HOST: Refusal = [400, "invalid_request", "An HTTP/1.1 request needs a Host header."];

const UNKNOWN_EXPECTATION: Refusal = [
  417,
  "expectation_failed",
  "This server meets no Expect other than 100-continue.",
];

const DUPLICATE_HOST: Refusal = [
  400,
  "invalid_request",
  "A request must carry exactly one Host header.",
];

/** How many `Host` lines the request had: Node keeps the first and drops the others. */
function hostLines(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === "host") count += 1;
  }
  return count;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Answers an HTTP/1.1 request without `Host` 400 before Fastify sees it (HTTP/1.0 needs none),
 * and so any request with more than one (RFC 9112 §3.2), which Node took as the first: a proxy
 * in front may have routed or checked it by another one. A Host listing two ("a, b") is the same.
 * Fastify's handler is the server's one `request` listener; it is wrapped by one check of a
 * header Node has parsed already, so the requests that pass run as before.
 */
function refuseRequestsWithoutHost(
  app: FastifyInstance,
  headers: readonly (readonly [string, string])[],
): void {
  const server: Server = app.server;
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const host = request.headers.host;
    if (host === undefined) {
      if (request.httpVersionMajor === 1 && request.httpVersionMinor === 1) {
        refuseUnrouted.call(app, response, headers, MISSING_HOST);
        return;
      }
    } else if (host.includes(",") || hostLines(request.rawHeaders) > 1) {
      refuseUnrouted.call(app, response, headers, DUPLICATE_HOST);
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
}
