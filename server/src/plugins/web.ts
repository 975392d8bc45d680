/**
 * Serves the built web app. Hashed assets are cached for a year and sent as the Brotli or gzip
 * copy the build wrote beside them when the browser accepts one; the HTML shell is never cached,
 * and every page route falls back to it (the app routes on the client).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

import { NotFoundError } from "../errors.js";

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
  // The hashed assets (every chunk, style sheet and catalog, with their .br and .gz copies: about
  // 500 files) are one wildcard route. A route per file, as `wildcard: false` registers them, cost
  // about 10 MB of the idle server's RSS and half a second of its start-up (issue 24); @fastify/send
  // keeps every lookup inside the folder.
  await app.register(fastifyStatic, {
    root: join(dist, "assets"),
    prefix: "/assets/",
    index: false,
    wildcard: true,
    // @fastify/static serves dotfiles by default; the build writes none, and none should be sent.
    dotfiles: "ignore",
    // web/scripts/precompress.mjs writes `.br` and `.gz` beside each script and style sheet.
    preCompressed: true,
    setHeaders(reply) {
      void reply.header("cache-control", "public, max-age=31536000, immutable");
    },
  });
  // @fastify/static answers 403 for the folder itself; it names no file, so it is a 404 as before.
  app.get("/assets/", { schema: { hide: true } }, () => {
    throw new NotFoundError("not_found", "There is no file at this path.");
  });
  // The few files outside assets/ (the icon, the download service worker): a route each.
  await app.register(fastifyStatic, {
    root: dist,
    index: false,
    wildcard: false,
    globIgnore: ["assets/**"],
    decorateReply: false,
    setHeaders(reply) {
      void reply.header("cache-control", "no-cache");
    },
  });
  // Each page also answers with a trailing slash (`/s/#…`, `/login/`): the client's router drops it
  // (web/src/lib/route.ts), so the page works there, and must not come with a 404 status.
  const pages = PAGE_ROUTES.flatMap((url) =>
    url === "/" || url.endsWith("*") ? [url] : [url, `${url}/`],
  );
  for (const url of pages) {
    app.get(url, { schema: { hide: true } }, (_request, reply) =>
      reply.header("cache-control", "no-store").type("text/html; charset=utf-8").send(index),
    );
  }
  return index;
}
