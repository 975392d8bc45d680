/** Fastify's schema compilers, given as zod's from the start (issue 24: start-up and memory). */
import type { FastifyServerOptions } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";

import { fastSerializerCompiler } from "./zod-serializer.js";

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]
>;
/**
 * What `setValidatorCompiler`/`setSerializerCompiler` install, given up front. Fastify types the
 * factories after its Ajv and fast-json-stringify ones; at run time it only calls them for a
 * compiler, which is zod's here (the serialiser compiled from zod's schemas, zod-serializer.ts).
 */
export const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => fastSerializerCompiler,
} as unknown as CompilersFactory;

export { fastSerializerCompiler };
