/**
 * HTTP conventions every answer follows (issue 15):
 * - `X-Request-Id` on every answer (set with the security headers, security-headers.ts): the
 *   proxy's id when the peer is a trusted proxy (TRUST_PROXY), so one id follows a request
 *   through the proxy's and our logs; otherwise one of ours;
 * - 405 with `Allow` for a known path asked with a method it does not take (the not-found
 *   handler asks `allowedMethods`);
 * - a POST with `Content-Type: application/json` and an empty body counts as "no body", which a
 *   route that takes none accepts; a route that needs one still answers 400 `invalid_json`;
 * - a JSON body is UTF-8 or refused, never altered: bytes that are not UTF-8 answer 400
 *   `invalid_json`, a `charset` other than UTF-8 (any of its labels; none means UTF-8) 415
 *   `unsupported_media_type`; one that nests objects and arrays deeper than MAX_JSON_DEPTH
 *   answers 400 `invalid_json` before it is parsed.
 */
import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";

import proxyAddr from "@fastify/proxy-addr";
import {
  errorCodes,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
} from "fastify";
import FindMyWay from "find-my-way";
import type { ZodType } from "zod";

import type { Config } from "../config.js";
import { BadRequestError, UnsupportedMediaTypeError } from "../errors.js";
import {
  DUPLICATE_KEY,
  forbiddenKey,
  MAX_JSON_DEPTH,
  NESTS_TOO_DEEP,
  scanJson,
  SUSPECT_KEY,
} from "../lib/json-duplicates.js";
import { newId } from "../lib/tokens.js";

export const REQUEST_ID_HEADER = "x-request-id";
/** What we take from a proxy: short, printable, nothing a log reader could be fooled by. */
const REQUEST_ID_FORMAT = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
/** `; charset=VALUE` or `; charset="VALUE"`, the name in any case (RFC 9110 §5.6.6). */
const CHARSET_PARAMETER = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Whether the connection's peer is a proxy we trust, by the same rule as TRUST_PROXY. */
export function trustedPeer(trustProxy: Config["trustProxy"]): (address: string) => boolean {
  if (trustProxy === false || trustProxy === 0) return () => false;
  if (trustProxy === true || typeof trustProxy === "number") return () => true;
  const trust = proxyAddr.compile(trustProxy);
  return (address) => trust(address, 0);
}

/** Fastify's `genReqId`: the trusted proxy's X-Request-Id, or a new id. */
export function requestIdGenerator(trustProxy: Config["trustProxy"]) {
  const trusted = trustedPeer(trustProxy);
  return (raw: IncomingMessage): string => {
    const given = raw.headers[REQUEST_ID_HEADER];
    if (
      typeof given === "string" &&
      REQUEST_ID_FORMAT.test(given) &&
      trusted(raw.socket.remoteAddress ?? "")
    ) {
      return given;
    }
    return newId();
  };
}

/** The names of UTF-8 that clients send: the WHATWG Encoding Standard's labels for it. */
const UTF8_LABELS = new Set(["utf-8", "utf8", "unicode-1-1-utf-8"]);

/** Whether a Content-Type names a `charset` other than UTF-8 (none means UTF-8 for JSON). */
function foreignCharset(contentType: string | undefined): boolean {
  // The common case, a bare type, needs no further look.
  if (contentType === undefined || !contentType.includes(";")) return false;
  const match = CHARSET_PARAMETER.exec(contentType);
  const charset = match?.[1] ?? match?.[2];
  return charset !== undefined && !UTF8_LABELS.has(charset.toLowerCase());
}

/**
 * A JSON request whose body is empty, on a route that needs one: 400 `invalid_json`. So is one
 * with no Content-Type at all (`curl -X POST` without `-d`): a body without a type never gets
 * here (415), so it has none, and says so rather than the validator's "expected object".
 */
function refuseEmptyJson(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const type = request.headers["content-type"];
  const json = type === undefined || type.startsWith("application/json");
  if (json && request.body === undefined) {
    done(new BadRequestError("invalid_json", "The body is empty; send a JSON object."));
    return;
  }
  done();
}

export interface HttpConventions {
  /** The methods a path is served with (empty when no route matches it). */
  allowedMethods: (path: string) => string[];
}

export function registerHttpConventions(app: FastifyInstance): HttpConventions {
  // A second router that only knows which patterns exist, to tell 404 from 405. The catch-all
  // page route (/app/*) would make every path "known", so wildcard routes stay out of it.
  const known = FindMyWay({ maxParamLength: 200 });
  const added = new Set<string>();
  app.addHook("onRoute", (route) => {
    // Only a route with a body schema can need a body, so only such a route gets the hook: the
    // others (every GET) skip a step per request (issue 24).
    const body = route.schema?.body as ZodType | undefined;
    if (typeof body?.safeParse === "function" && !body.safeParse(undefined).success) {
      route.preValidation = [
        ...(Array.isArray(route.preValidation)
          ? route.preValidation
          : route.preValidation
            ? [route.preValidation]
            : []),
        refuseEmptyJson,
      ];
    }
    if (route.url.includes("*")) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const key = `${method} ${route.url}`;
      if (added.has(key)) continue;
      added.add(key);
      known.on(method as FindMyWay.HTTPMethod, route.url, () => undefined);
    }
  });

  app.removeContentTypeParser("application/json");
  // As bytes, not as a string: decoding first would turn bytes that are not UTF-8 into U+FFFD
  // and store a secret or a name changed from what was sent. A changed secret is worse than a
  // refused one, so such a body (or one labelled with another charset) is refused instead.
  app.addContentTypeParser<Buffer>(
    "application/json",
    { parseAs: "buffer" },
    (request, body, done) => {
      if (foreignCharset(request.headers["content-type"])) {
        done(new UnsupportedMediaTypeError("unsupported_media_type", "Send the body in UTF-8."));
        return;
      }
      if (body.length === 0) {
        done(null, undefined);
        return;
      }
      if (!isUtf8(body)) {
        done(new BadRequestError("invalid_json", "The body is not valid UTF-8."));
        return;
      }
      // Valid UTF-8, so decoding changes nothing.
      let value: unknown;
      try {
        value = parseJsonBody(body.toString());
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, value);
    },
  );

  return {
    allowedMethods: (path) => METHODS.filter((method) => known.find(method, path) !== null),
  };
}

/**
 * A JSON body's value, or the refusal it gets: 400 `invalid_json` for a body that nests too deep,
 * is no JSON, has a forbidden key or names a member twice, in that order.
 */
export function parseJsonBody(body: string): unknown {
  // A leading byte order mark is skipped, as RFC 8259 lets a parser do (and secure-json-parse
  // did): the value is the same with it.
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  // One pass for the depth, the duplicate names and the suspect ones (json-duplicates.ts), then
  // the plain parse: the text is read twice instead of five times (issue 24).
  const found = scanJson(text, MAX_JSON_DEPTH);
  if (found === NESTS_TOO_DEEP) {
    throw new BadRequestError(
      "invalid_json",
      `The body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
  if ((found & SUSPECT_KEY) !== 0 && forbiddenKey(value)) {
    throw new BadRequestError("invalid_json", "The body contains a forbidden key.");
  }
  if ((found & DUPLICATE_KEY) !== 0) {
    throw new BadRequestError("invalid_json", "The body names a member twice in one object.");
  }
  return value;
}
