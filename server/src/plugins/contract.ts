/**
 * Which errors each operation answers, from one place: what every route can answer by the way
 * it is built (a bad bearer token, a cross-site state change, a body that is not JSON, too large
 * or of another type, a rate limit, a fault), plus the codes the route declares in
 * `schema.errors` for what its handler and services throw. The OpenAPI document enumerates these
 * per status; with `onViolation` (the tests set it) every error answer is checked against them,
 * so a code thrown but not declared fails the suite that provoked it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";

import {
  ApiTokenScope,
  ERROR_CODES,
  errorAnswer,
  ERRORS,
  statusesOf,
  type ErrorCode,
} from "@hushlink/protocol";

import { openWithoutSecondFactor, scopeAllows } from "../features/auth/token-scope.js";

const TOKEN_SCOPES = ApiTokenScope.options;

/** A code with every status the catalogue gives it, or `[code, status]` for one of them. */
export type DeclaredError = ErrorCode | readonly [ErrorCode, number];

declare module "fastify" {
  interface FastifySchema {
    /** The codes the route's handler and services throw (see plugins/contract.ts). */
    errors?: readonly DeclaredError[];
  }
  interface FastifyContextConfig {
    /**
     * A body that is not JSON, read by the route's own content-type parser: per content type,
     * its JSON schema for the document. Such a route answers no 415 from Fastify.
     */
    rawBody?: Record<string, Record<string, unknown>>;
  }
}

export interface RouteFacts {
  method: string | string[];
  /** The route's pattern, e.g. `/api/v1/shares/:id`. */
  url?: string;
  schema?: {
    body?: unknown;
    params?: unknown;
    querystring?: unknown;
    headers?: unknown;
    errors?: readonly DeclaredError[];
  };
  config?: { rateLimit?: unknown; rawBody?: unknown };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Per status, the codes an operation answers, in the catalogue's order. */
export function documentedErrors(route: RouteFacts): Map<number, ErrorCode[]> {
  const method = String(Array.isArray(route.method) ? route.method[0] : route.method);
  const schema = route.schema ?? {};
  const pairs = new Set<string>();
  const add = (code: ErrorCode, status?: number) => {
    for (const s of status === undefined ? statusesOf(code) : [status]) pairs.add(`${s} ${code}`);
  };
  add("invalid_token", 401); // the bearer token is checked on every request that has one
  // …and its scope, where some scope does not cover the route (auth/token-scope.ts).
  const url = route.url ?? "";
  if (TOKEN_SCOPES.some((scope) => !scopeAllows(scope, method, url))) add("token_scope");
  // …and, for a member whose organization requires a second factor they lack, every route
  // but their own account's (auth/auth.context.ts).
  if (!openWithoutSecondFactor(url)) add("second_factor_required");
  // …and, for a session not made through SSO of an account whose organization requires it,
  // every API route (auth/auth.context.ts).
  if (url.startsWith("/api/")) add("sso_required", 401);
  if (UNSAFE.has(method)) {
    add("csrf_failed");
    add("invalid_json");
    add("payload_too_large");
    if (!route.config?.rawBody) add("unsupported_media_type");
  }
  if (schema.body || schema.params || schema.querystring || schema.headers) add("invalid_request");
  if (route.config?.rateLimit) add("rate_limited");
  add("internal_error");
  add("unavailable");
  for (const entry of schema.errors ?? []) {
    if (typeof entry === "string") add(entry);
    else add(entry[0], entry[1]);
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES) {
    for (const status of statusesOf(code)) {
      if (!pairs.has(`${status} ${code}`)) continue;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** The error answers of an operation as zod schemas, described code by code. */
export function errorResponses(route: RouteFacts) {
  const responses: Record<number, ReturnType<typeof errorAnswer>> = {};
  for (const [status, codes] of documentedErrors(route)) {
    const description = codes.map((code) => `\`${code}\`: ${ERRORS[code].meaning}`).join("\n\n");
    responses[status] = errorAnswer(codes).meta({ description });
  }
  return responses;
}

export interface ContractViolation {
  operation: string;
  status: number;
  code: unknown;
  problem: string;
}

function factsOf(request: FastifyRequest): RouteFacts {
  const options = request.routeOptions;
  return {
    method: request.method,
    url: options.url,
    schema: options.schema,
    config: options.config,
  };
}

/** Checks every error answer of an operation against what the document says it answers. */
export function registerContractCheck(
  app: FastifyInstance,
  onViolation: (violation: ContractViolation) => void,
): void {
  app.addHook("onSend", async (request, reply, payload) => {
    const url = request.routeOptions.url;
    if (reply.statusCode < 400 || !url?.startsWith("/api/v1/")) return payload;
    let body: unknown = null;
    try {
      body = JSON.parse(String(payload));
    } catch {
      // Reported below: an error answer is JSON.
    }
    const codes = documentedErrors(factsOf(request)).get(reply.statusCode) ?? [];
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    const operation = `${request.method} ${url}`;
    if (codes.length === 0) {
      onViolation({ operation, status: reply.statusCode, code, problem: "status not documented" });
      return payload;
    }
    const checked = errorAnswer(codes).safeParse(body);
    if (!checked.success) {
      const problem = checked.error.issues
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ");
      onViolation({ operation, status: reply.statusCode, code, problem });
    }
    return payload;
  });
}
