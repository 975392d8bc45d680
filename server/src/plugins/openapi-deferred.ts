/**
 * The OpenAPI document and the docs page, with @fastify/swagger and @fastify/swagger-ui loaded at
 * the first request for either (issue 24: idle memory). Registered at start-up, both plugins
 * loaded `yaml` (72 modules), json-schema-resolver and their own code, which no other request
 * needs; an instance that nobody asks for its documentation now never loads them.
 *
 * Nothing is rewritten: the plugins' own code builds the document and answers the docs page's
 * requests, run against a small stand-in for the Fastify instance they would have been
 * registered on. What they would have registered at start-up is registered here instead, the same
 * way: the route hook that sees every route (replayed into @fastify/swagger's hook on first use),
 * and the docs page's routes under the same prefix, with @fastify/static for its static files.
 * The stand-ins accept only what the plugins do today with these options and throw on anything
 * else, so a new version that does more fails the OpenAPI tests instead of answering differently.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";

import fastifyStatic from "@fastify/static";
import type { SwaggerOptions } from "@fastify/swagger";
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRegisterHookHandler,
  RouteOptions,
} from "fastify";

/** `app.swagger` of @fastify/swagger: the document, built once and then cached by the plugin. */
export type SwaggerDocument = FastifyInstance["swagger"];

type Callback = (error?: Error) => void;
type PluginCallback<O> = (instance: never, options: O, done: Callback) => void;

const require = createRequire(import.meta.url);

/** Why a stand-in refuses a call: the plugin does something this file does not replay. */
function unexpected(plugin: string, what: string): Error {
  return new Error(`${plugin} did ${what}, which openapi-deferred.ts does not replay`);
}

/**
 * From now on, every route registered on `app` is remembered, as @fastify/swagger's route hook
 * would; the returned function loads the plugin, hands it those routes and gives its document.
 */
export function deferredSwagger(
  app: FastifyInstance,
  options: SwaggerOptions,
): () => Promise<SwaggerDocument> {
  const routes: RouteOptions[] = [];
  const contexts: FastifyInstance[] = [];
  app.addHook("onRoute", (route) => {
    routes.push(route);
  });
  const rememberContext: onRegisterHookHandler = (instance) => {
    contexts.push(instance);
  };
  app.addHook("onRegister", rememberContext);

  const load = async (): Promise<SwaggerDocument> => {
    const { fastifySwagger } = await import("@fastify/swagger");
    const hooks = {
      onRoute: [] as ((route: RouteOptions) => void)[],
      onRegister: [] as ((instance: FastifyInstance) => void)[],
      onReady: [] as ((done: Callback) => void)[],
    };
    let document: SwaggerDocument | null = null;
    const standIn = {
      addHook(name: string, hook: never) {
        if (!(name in hooks)) throw unexpected("@fastify/swagger", `addHook("${name}")`);
        hooks[name as keyof typeof hooks].push(hook);
      },
      decorate(name: string, value: SwaggerDocument) {
        if (name !== "swagger") throw unexpected("@fastify/swagger", `decorate("${name}")`);
        document = value;
      },
      getSchemas: () => app.getSchemas(),
    };
    await new Promise<void>((resolve, reject) => {
      (fastifySwagger as unknown as PluginCallback<SwaggerOptions>)(
        standIn as never,
        { ...options },
        (error) => (error ? reject(error) : resolve()),
      );
    });
    // What Fastify did for the plugin as the server was put together: each route, each
    // encapsulated context, then ready.
    for (const route of routes) for (const hook of hooks.onRoute) hook(route);
    for (const context of contexts) for (const hook of hooks.onRegister) hook(context);
    for (const hook of hooks.onReady) {
      await new Promise<void>((resolve, reject) =>
        hook((error) => (error ? reject(error) : resolve())),
      );
    }
    routes.length = 0;
    contexts.length = 0;
    if (!document) throw unexpected("@fastify/swagger", "no decorate('swagger')");
    return document;
  };
  return once(load);
}

/** Where @fastify/swagger-ui keeps Swagger UI's files; resolving the path loads no code. */
const UI_STATIC = join(dirname(require.resolve("@fastify/swagger-ui/package.json")), "static");

/** The routes @fastify/swagger-ui registers with the options below, in its order. */
const UI_ROUTES = ["/", "/static/index.html", "/static/swagger-initializer.js", "/json", "/yaml"];
/** Its static files, as it registers them (a new object each time: plugins may add to theirs). */
const uiStaticOptions = () => ({ root: UI_STATIC, prefix: "/static", decorateReply: false });

type Handler = (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * The docs page at `prefix`, as `app.register(swaggerUi, { routePrefix: prefix, staticCSP:
 * false })` served it: the same routes, whose handlers are @fastify/swagger-ui's own, made at
 * the first request.
 */
export async function registerDeferredDocsPage(
  app: FastifyInstance,
  prefix: string,
  swagger: () => Promise<SwaggerDocument>,
): Promise<void> {
  const handlers = once(async (): Promise<Map<string, Handler>> => {
    const document = await swagger();
    // What @fastify/swagger-ui's index.js passes its routes for these options.
    const logo = { type: "image/svg+xml", content: await readFile(join(UI_STATIC, "logo.svg")) };
    const routesPlugin = require("@fastify/swagger-ui/lib/routes") as PluginCallback<object>;
    const found = new Map<string, Handler>();
    const standIn = {
      swagger: document,
      route(route: { url: string; method: string; handler: Handler }) {
        if (route.method !== "GET" || !UI_ROUTES.includes(route.url))
          throw unexpected("@fastify/swagger-ui", `route(${route.method} ${route.url})`);
        found.set(route.url, route.handler);
      },
      register(_plugin: unknown, options: unknown) {
        if (!isDeepStrictEqual(options, uiStaticOptions()))
          throw unexpected("@fastify/swagger-ui", `register(${JSON.stringify(options)})`);
      },
      addHook(name: string) {
        throw unexpected("@fastify/swagger-ui", `addHook("${name}")`);
      },
    };
    await new Promise<void>((resolve, reject) => {
      routesPlugin(
        standIn as never,
        {
          routePrefix: prefix,
          staticCSP: false,
          prefix,
          uiConfig: {},
          initOAuth: {},
          hooks: undefined,
          theme: {},
          logo,
        },
        (error) => (error ? reject(error) : resolve()),
      );
    });
    if (!isDeepStrictEqual([...found.keys()], UI_ROUTES))
      throw unexpected("@fastify/swagger-ui", `routes ${[...found.keys()].join(", ")}`);
    return found;
  });

  await app.register(
    async (docs) => {
      for (const url of UI_ROUTES) {
        docs.get(url, { schema: { hide: true } }, async function (request, reply) {
          const handler = (await handlers()).get(url);
          await handler?.call(this, request, reply);
          return reply;
        });
      }
      await docs.register(fastifyStatic, uiStaticOptions());
    },
    { prefix },
  );
}

/** `load` called at most once at a time; a failure is not kept, so the next request tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}
