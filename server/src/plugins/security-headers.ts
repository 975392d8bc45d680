/**
 * The headers every response carries, errors included: the security headers (SPEC §3), the
 * request id (http-conventions.ts) and `Cache-Control: no-store` unless the route set its own.
 * The CSP allows no inline script or style and no eval; 'wasm-unsafe-eval' is what the Argon2id
 * WebAssembly needs. The one exception is the HTML shell's own answer: its early script
 * (web/early-start-plugin.ts) is inline so that it runs as soon as the HTML is parsed, one Slow 4G
 * round trip sooner than a file of its own (issue 24), and that answer's policy allows exactly
 * that script by its SHA-256 hash ('unsafe-inline' never): an injected script has another hash.
 *
 * One onSend hook sets them all from a list made once (issue 24): each hook in Fastify's onSend
 * chain costs its own step on every answer, and this used to be two hooks and a fresh object of
 * headers per answer.
 */
import { createHash } from "node:crypto";

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

/** Inline scripts: a `<script>` without `src`. */
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** CONTENT_SECURITY_POLICY allowing, besides, the HTML shell's inline scripts by their hashes. */
export function pageContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(
    ([, text]) =>
      `'sha256-${createHash("sha256")
        .update(text ?? "")
        .digest("base64")}'`,
  );
  if (hashes.length === 0) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace(
    /script-src [^;]*/,
    (directive) => `${directive} ${hashes.join(" ")}`,
  );
}

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

/**
 * `page`: the HTML shell the pages and the 404 page answer with (web.ts), sent as this very
 * Buffer, and its policy; an answer with that body gets that policy, every other the fixed one.
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: { hsts: boolean; page: { body: Buffer; csp: string } | null },
): void {
  const headers = fixedHeaders(options);
  const page = options.page;
  app.addHook("onSend", (request, reply, payload, done) => {
    setAnswerHeaders(reply, request.id, headers);
    if (page && payload === page.body) void reply.header("content-security-policy", page.csp);
    done(null, payload);
  });
}
