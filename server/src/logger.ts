/**
 * Logging options. Requests are logged by the app as one line each with the route pattern, never
 * the raw URL (paths such as /invitations/{token} carry secrets), and never bodies or headers.
 * The redaction list is a second line of defence for anything logged by mistake.
 */
import type { FastifyBaseLogger } from "fastify";
import {
  pino,
  symbols,
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
} from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-manage-token"]',
  'req.headers["x-view-token"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "body",
  "*.body",
  "*.password",
  "*.token",
  "*.viewToken",
  "*.verifier",
  "*.ciphertext",
  "*.linkSecret",
  "*.manageToken",
  "*.readToken",
  "*.readingSecret",
  "*.encryptedPrivateKey",
  "*.value",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    // The default serializers would log the full URL and headers.
    serializers: {
      req: () => undefined,
      res: () => undefined,
    },
  };
}

const { chindingsSym, stringifiersSym, wildcardFirstSym } = symbols;

type Stringify = (value: unknown, safe?: unknown) => string | undefined;

/**
 * pino runs every top-level value of a line through the wildcard redaction (the `*.…` paths),
 * a string, number or boolean too, although no path can match inside one: about 3 µs a value,
 * so the request line (four values and its message) cost about 16 µs at `info` instead of 4 on
 * this machine (issue 24). Here such a value is written as the JSON pino's redaction writes for
 * it; an object or an array still goes through the redaction, and named paths (`body`) as before.
 */
export function writePrimitivesPlainly(logger: Logger): Logger {
  const stringifiers = (logger as unknown as Record<symbol, Record<symbol, Stringify> | undefined>)[
    stringifiersSym
  ];
  const redacting = stringifiers?.[wildcardFirstSym];
  if (!stringifiers || !redacting) return logger;
  stringifiers[wildcardFirstSym] = (value, safe) =>
    typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      ? JSON.stringify(value)
      : redacting(value, safe);
  return logger;
}

/**
 * The app's logger: pino with the options above, to stdout or `destination`.
 *
 * Stdout is written synchronously. pino's default buffers and writes asynchronously, then writes
 * what is left in a hook on the process's exit (sonic-boom 4's flushSync), which tries again every
 * 100 ms for ever when the reader of stdout has gone (EPIPE): such a server never ended on SIGTERM.
 * A synchronous write that meets EPIPE ends the logging at once (pino drops what follows), and
 * nothing is left for the exit. The server logs events, not requests (app.ts turns Fastify's
 * request logging off), so a write per line costs nothing the bench can see.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = loggerOptions(level);
  return writePrimitivesPlainly(pino(options, destination ?? pino.destination({ sync: true })));
}
const NO_BINDINGS = {};

/**
 * Each request's logger, bound to its `reqId`. pino runs every binding of a child through the
 * redaction (the `*.…` paths make it look into every value), which made the child of each request
 * cost about 1.5 µs instead of 0.25 µs (issue 24). The one binding here is the request id, a
 * string Fastify's `genReqId` made (our own id, or a proxy's that matched a short printable
 * format), which no redaction path can match; it is added as the JSON pino would have written for
 * it. Any other binding takes pino's own way (`pinoChild`). What is logged through the child is
 * redacted as before.
 */
function bindRequestId(
  parent: Logger | FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions | undefined,
  pinoChild: (this: unknown, bindings: Bindings, options?: ChildLoggerOptions) => unknown,
): FastifyBaseLogger {
  const keys = Object.keys(bindings);
  const reqId = bindings.reqId as unknown;
  const fields = parent as unknown as Record<symbol, unknown>;
  if (keys.length !== 1 || typeof reqId !== "string" || typeof fields[chindingsSym] !== "string")
    return pinoChild.call(parent, bindings, options) as FastifyBaseLogger;
  const child = pinoChild.call(parent, NO_BINDINGS, options) as Record<symbol, string>;
  child[chindingsSym] += `,"reqId":${JSON.stringify(reqId)}`;
  return child as unknown as FastifyBaseLogger;
}

/** A request's logger made from `logger` as above (what `logger.child(bindings)` makes). */
export function requestChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return bindRequestId(logger, bindings, options, function pinoChild(b, o) {
    return logger.child(b, o);
  });
}

const fastChildren = new WeakSet<object>();

/**
 * Gives `logger` (and every child it makes, which inherits it) a `child` that binds a request id
 * as `requestChildLogger` does, the same lines to the byte. The app hands Fastify this logger and
 * no `childLoggerFactory`: Fastify checks each logger a factory of ours returns (seven method
 * look-ups and an array on every request, issue 24), and not those its own factory makes, which
 * calls `logger.child`. The logger stays the same object (its level is the app's and the jobs').
 */
export function withRequestChildren<L extends Logger>(logger: L): L {
  if (fastChildren.has(logger)) return logger;
  // pino's own `child`, called below with the logger it is asked of as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const pinoChild = logger.child as (bindings: Bindings, options?: ChildLoggerOptions) => unknown;
  Object.defineProperty(logger, "child", {
    configurable: true,
    writable: true,
    value: function child(this: Logger, bindings: Bindings, options?: ChildLoggerOptions) {
      return bindRequestId(this, bindings, options, pinoChild);
    },
  });
  fastChildren.add(logger);
  return logger;
}
