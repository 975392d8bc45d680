/** Fastify's schema compilers, given as zod's from the start (issue 24: start-up and memory). */
import type { FastifyInstance, FastifyServerOptions } from "fastify";

import { fastSerializerCompiler } from "./zod-serializer.js";
import { fastValidatorCompiler } from "./zod-validator.js";

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]
>;
/**
 * What `setValidatorCompiler`/`setSerializerCompiler` install, given up front. Fastify types the
 * factories after its Ajv and fast-json-stringify ones; at run time it only calls them for a
 * compiler, which is zod's here (the serialiser compiled from zod's schemas, zod-serializer.ts; the
 * validator of plain objects of strings, zod-validator.ts).
 */
export const ZOD_COMPILERS = {
  buildValidator: () => fastValidatorCompiler,
  buildSerializer: () => fastSerializerCompiler,
} as unknown as CompilersFactory;

/** The same compilers installed on the app, as every route's validator and serialiser. */
export function useZodCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(fastValidatorCompiler);
  app.setSerializerCompiler(fastSerializerCompiler);
}

export { fastSerializerCompiler, fastValidatorCompiler };
