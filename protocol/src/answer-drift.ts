/**
 * For the type-level tests of the clients (web/src/api-types.test.ts, cli/test/api-types.test.ts):
 * given a table of endpoint functions beside the schema of each one's answer (or the answer type
 * itself), the names of the rows whose function resolves to anything but exactly that. `never`
 * when every client answer is the protocol's.
 */
import type { z } from "zod";

type Resolved<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;
type AnswerOf<S> = S extends z.ZodType ? z.output<S> : S;
/** Exactly the same type, by TypeScript's own identity (as expectTypeOf's toEqualTypeOf). */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export type DriftedAnswers<Table extends { [K in keyof Table]: readonly [unknown, unknown] }> = {
  [K in keyof Table]: Same<Resolved<Table[K][0]>, AnswerOf<Table[K][1]>> extends true ? never : K;
}[keyof Table];
