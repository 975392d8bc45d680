import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { createJsonSchemaTransformObject, jsonSchemaTransform } from "fastify-type-provider-zod";
import type { z } from "zod";

import { errorResponses, type RouteFacts } from "./contract.js";
import {
  collectNamedSchemas,
  optionalBodies,
  registerAgain,
  tidyComponents,
} from "./openapi-components.js";

type Transform = typeof jsonSchemaTransform;

const TAGS = [
  { name: "shares", description: "Client-encrypted secrets behind expiring links" },
  { name: "requests", description: "Asking someone for a secret" },
  { name: "auth", description: "Accounts, sessions, e-mail verification and passwords" },
  { name: "tokens", description: "Personal API tokens" },
  { name: "organizations", description: "Members, roles and invitations" },
  { name: "branding", description: "An organization's colours and logo" },
  { name: "policies", description: "What an organization's members may share (F16)" },
  { name: "audit", description: "The organization's tamper-evident audit log" },
  { name: "webhooks", description: "Signed deliveries of the organization's audit events" },
  { name: "meta", description: "What this server allows" },
  { name: "sso", description: "Single sign-on with an organization's OpenID Connect provider" },
  { name: "files", description: "Encrypted file chunks of a share: upload and download" },
];

/** Operations anyone may call; every other one needs a signed-in caller. */
const ANONYMOUS = new Set([
  "POST /api/v1/shares",
  "GET /api/v1/shares/{id}",
  "POST /api/v1/shares/{id}/reveal",
  "DELETE /api/v1/shares/{id}",
  "GET /api/v1/shares/{id}/manage",
  // Files: the upload and download tokens of the share, not an account, authorise these.
  "PUT /api/v1/shares/{id}/blobs/{blob}/{n}",
  "GET /api/v1/shares/{id}/upload",
  "GET /api/v1/shares/{id}/blobs/{blob}",
  "GET /api/v1/requests/{id}",
  "POST /api/v1/requests/{id}/submit",
  "POST /api/v1/auth/signup",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/logout",
  "POST /api/v1/auth/verify-email",
  "POST /api/v1/auth/password-reset",
  "POST /api/v1/auth/password-reset/confirm",
  "GET /api/v1/invitations/{token}",
  "GET /api/v1/config",
  "GET /api/v1/branding/logos/{file}",
  "POST /api/v1/auth/sso/discover",
]);

const zodComponents = createJsonSchemaTransformObject({});

/** `GET /api/v1/shares/{id}/events` → `getSharesByIdEvents`: stable, unique, readable. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1\//, "/")
    .split("/")
    .filter((part) => part !== "")
    .map((part) => (part.startsWith(":") ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[-_]/))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return method.toLowerCase() + words.join("");
}

/**
 * Per operation: the bearer token, or the session cookie (plus the CSRF header on a state
 * change); `{}` first where signing in is optional.
 */
function securityOf(method: string, path: string) {
  const unsafe = method !== "GET" && method !== "HEAD";
  const session = unsafe ? { session: [], csrf: [] } : { session: [] };
  const signedIn = [{ bearer: [] }, session];
  return ANONYMOUS.has(`${method} ${path}`) ? [{}, ...signedIn] : signedIn;
}

/** The route transform, and the schemas with ids it met (see `registerAgain`). */
function createTransform(named: Set<z.ZodType>): Transform {
  return (input) => {
    for (const schema of collectNamedSchemas(input.schema)) named.add(schema);
    return transform(input);
  };
}

/** JSON Schema of the bytes of a raw body or answer. */
const BYTES = { type: "string", format: "binary" };

const transform: Transform = (input) => {
  const route = input.route as RouteFacts;
  const operation = input.url.startsWith("/api/v1/");
  const out = jsonSchemaTransform(
    operation
      ? {
          ...input,
          schema: {
            ...input.schema,
            response: { ...(input.schema?.response as object), ...errorResponses(route) },
          },
        }
      : input,
  );
  const rawBody = input.route.config?.rawBody;
  if (rawBody && out.schema) {
    const content = Object.fromEntries(
      Object.entries(rawBody).map(([type, schema]) => [type, { schema: { ...BYTES, ...schema } }]),
    );
    out.schema = { ...out.schema, body: { content } };
  }
  const method = String(
    Array.isArray(input.route.method) ? input.route.method[0] : input.route.method,
  );
  const path = input.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
  return {
    ...out,
    schema: {
      ...out.schema,
      operationId: operationIdOf(method, input.url),
      security: securityOf(method, path),
    },
  };
};

/** OpenAPI document generated from the route schemas, at /api/openapi.json, browsable at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  const named = new Set<z.ZodType>();
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Hushlink API",
        version: "1",
        license: { name: "MIT", identifier: "MIT" },
        description:
          "End-to-end encrypted secret sharing. Clients encrypt with protocol v1 (see SPEC §3); the server only stores ciphertext and hashes of tokens.",
      },
      servers: [{ url: publicUrl }],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "Personal API token (hl_…)" },
          session: {
            type: "apiKey",
            in: "cookie",
            name: "hl_session",
            description: "The web app's session cookie, set by sign-in",
          },
          csrf: {
            type: "apiKey",
            in: "header",
            name: "X-CSRF-Token",
            description:
              "With the session cookie, every state change echoes the value of the hl_csrf cookie in this header",
          },
        },
      },
    },
    transform: createTransform(named),
    transformObject: (document) => {
      registerAgain(named);
      return optionalBodies(tidyComponents(zodComponents(document)));
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: false });
  app.get("/api/openapi.json", { schema: { hide: true } }, () => app.swagger());
}
