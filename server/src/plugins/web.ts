/**
 * Serves the built web app. Hashed assets are cached for a year and sent as the Brotli or gzip
 * copy the build wrote beside them when the browser accepts one; the HTML shell is never cached,
 * and every page route falls back to it (the app routes on the client).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const PAGE_ROUTES = [
  "/",
  "/s",
  "/manage/:id",
  "/r/:id",
  "/r/:id/open",
  "/request",
  "/login",
  "/signup",
  "/verify-email",
  "/reset-password",
  "/forgot-password",
  "/invitations/:token",
  "/app",
  "/app/*",
];

/** Registers the app's pages and assets; returns the HTML shell, or null when web/dist is not built. */
export async function registerWeb(app: FastifyInstance, dist: string): Promise<Buffer | null> {
  const indexFile = join(dist, "index.html");
  if (!existsSync(indexFile)) return null;
  const index = readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root: dist,
    index: false,
    wildcard: false,
    // web/scripts/precompress.mjs writes `.br` and `.gz` beside each script and style sheet.
    preCompressed: true,
    setHeaders(reply, path) {
      void reply.header(
        "cache-control",
        path.includes(`${join(dist, "assets")}`)
          ? "public, max-age=31536000, immutable"
          : "no-cache",
      );
    },
  });
  for (const url of PAGE_ROUTES) {
    app.get(url, { schema: { hide: true } }, (_request, reply) =>
      reply.header("cache-control", "no-store").type("text/html; charset=utf-8").send(index),
    );
  }
  return index;
}
