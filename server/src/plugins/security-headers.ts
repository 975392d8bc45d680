/**
 * The headers every response carries, errors included: the security headers (SPEC §3), the
 * request id (http-conventions.ts) and `Cache-Control: no-store` unless the route set its own.
 * The CSP allows no inline script or style and no eval; 'wasm-unsafe-eval' is what the Argon2id
 * WebAssembly needs.
 *
 * One onSend hook sets them all from a list made once (issue 24): each hook in Fastify's onSend
 * chain costs its own step on every answer, and this used to be two hooks and a fresh object of
 * headers per answer.
 */
import type { FastifyInstance, FastifyReply } from "fastify";

import { REQUEST_ID_HEADER } from "./http-conventions.js";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** The fixed headers, names in lower case (as Fastify keeps them). */
export function fixedHeaders(options: { hsts: boolean }): (readonly [string, string])[] {
  const headers: [string, string][] = [
    ["content-security-policy", CONTENT_SECURITY_POLICY],
    ["referrer-policy", "no-referrer"],
    ["x-content-type-options", "nosniff"],
    ["x-frame-options", "DENY"],
    ["cross-origin-opener-policy", "same-origin"],
    ["cross-origin-resource-policy", "same-origin"],
    ["permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"],
  ];
  if (options.hsts) headers.push(["strict-transport-security", "max-age=31536000"]);
  return headers;
}

/** Sets the headers of every answer on `reply`: the fixed ones, the request id, no-store. */
export function setAnswerHeaders(
  reply: FastifyReply,
  requestId: string,
  headers: readonly (readonly [string, string])[],
): void {
  for (const [name, value] of headers) void reply.header(name, value);
  void reply.header(REQUEST_ID_HEADER, requestId);
  // API answers may carry ciphertext, tokens or account data: never let a cache keep them.
  if (!reply.hasHeader("cache-control")) void reply.header("cache-control", "no-store");
}

export function registerSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  const headers = fixedHeaders(options);
  app.addHook("onSend", (request, reply, payload, done) => {
    setAnswerHeaders(reply, request.id, headers);
    done(null, payload);
  });
}
