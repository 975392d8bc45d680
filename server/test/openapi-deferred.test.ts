/**
 * The OpenAPI document and the docs page, loaded at their first request (issue 24), answer
 * exactly what @fastify/swagger and @fastify/swagger-ui registered at start-up answered: the same
 * app is built both ways and every answer compared.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { deferredSwagger, registerDeferredDocsPage } from "../src/plugins/openapi-deferred.js";
import { openApiOptions } from "../src/plugins/openapi.js";

const Thing = z.object({ id: z.string(), at: z.iso.datetime() }).meta({ id: "DeferredThing" });

function routes(app: FastifyInstance) {
  app.get("/api/v1/things/:id", {
    schema: {
      tags: ["shares"],
      params: z.object({ id: z.string() }),
      response: { 200: Thing },
    },
    handler: () => ({ id: "a", at: new Date(0).toISOString() }),
  });
  app.post("/api/v1/things", {
    schema: { tags: ["shares"], body: Thing.nullable(), response: { 201: Thing } },
    handler: (_request, reply) =>
      reply.status(201).send({ id: "b", at: new Date(0).toISOString() }),
  });
  // Encapsulated, with a prefix, and hidden: as the app registers some of its routes.
  void app.register(
    (scope, _options, done) => {
      scope.delete("/api/v1/things/:id", { schema: { tags: ["shares"] } }, () => null);
      scope.get("/hidden", { schema: { hide: true } }, () => "hidden");
      done();
    },
    { prefix: "" },
  );
}

async function build(deferred: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.get("/before", () => "registered before the document's hook");
  if (deferred) {
    const document = deferredSwagger(app, openApiOptions("https://hushlink.example"));
    await registerDeferredDocsPage(app, "/api/docs", document);
    app.get("/api/openapi.json", { schema: { hide: true } }, async () => (await document())());
  } else {
    await app.register(swagger, openApiOptions("https://hushlink.example"));
    await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: false });
    app.get("/api/openapi.json", { schema: { hide: true } }, () => app.swagger());
  }
  routes(app);
  await app.ready();
  return app;
}

const URLS = [
  "/api/openapi.json",
  "/api/docs",
  "/api/docs/",
  "/api/docs/json",
  "/api/docs/yaml",
  "/api/docs/static/index.html",
  "/api/docs/static/swagger-initializer.js",
  "/api/docs/static/swagger-ui.css",
  "/api/docs/static/favicon-32x32.png",
  "/api/docs/static/",
  "/api/docs/static/nope.js",
  "/api/docs/nope",
];

async function answers(app: FastifyInstance, order: string[]) {
  const found: Record<string, unknown> = {};
  for (const url of order) {
    for (const method of ["GET", "HEAD", "POST"] as const) {
      const res = await app.inject({ method, url });
      const { date: _date, ...headers } = res.headers;
      found[`${method} ${url}`] = { status: res.statusCode, headers, body: res.body };
    }
  }
  return found;
}

describe("the OpenAPI document and docs page, loaded on first use", () => {
  it("answer every request as the plugins registered at start-up did", async () => {
    const eager = await build(false);
    const deferred = await build(true);
    const expected = await answers(eager, URLS);
    const document = JSON.parse((expected["GET /api/openapi.json"] as { body: string }).body) as {
      paths: object;
      components: { schemas: object };
    };
    // The comparison is about something: the document has the routes and their schemas.
    expect(Object.keys(document.paths)).toEqual(["/api/v1/things/{id}", "/api/v1/things"]);
    expect(Object.keys(document.components.schemas)).toContain("DeferredThing");
    expect(await answers(deferred, URLS)).toEqual(expected);
    await eager.close();
    await deferred.close();
  });

  it("serves the docs page first as well as the document first", async () => {
    const eager = await build(false);
    const deferred = await build(true);
    const docsFirst = [...URLS].reverse();
    expect(await answers(deferred, docsFirst)).toEqual(await answers(eager, docsFirst));
    await eager.close();
    await deferred.close();
  });

  it("loads the document once for concurrent first requests", async () => {
    const deferred = await build(true);
    const [a, b, c] = await Promise.all([
      deferred.inject({ url: "/api/openapi.json" }),
      deferred.inject({ url: "/api/docs/json" }),
      deferred.inject({ url: "/api/openapi.json" }),
    ]);
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([200, 200, 200]);
    expect(b.body).toBe(a.body);
    expect(c.body).toBe(a.body);
    await deferred.close();
  });
});
