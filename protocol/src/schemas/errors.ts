/**
 * Every error code the API answers, with its HTTP status and what it means. The server throws
 * only these (its error classes take an `ErrorCode`), the OpenAPI document enumerates them per
 * operation from the same table, and clients can switch on `ErrorCode`. The entries live in
 * `errors/`, one file per group of statuses, in the order the catalogue lists them.
 */
import { z } from "zod";

import { ACCESS } from "./errors/access.js";
import { BAD_REQUEST } from "./errors/bad-request.js";
import type { Entry } from "./errors/entry.js";
import { LIMITS_AND_FAULTS } from "./errors/limits-and-faults.js";
import { RESOURCE } from "./errors/resource.js";

export const ERRORS = {
  ...BAD_REQUEST,
  ...ACCESS,
  ...RESOURCE,
  ...LIMITS_AND_FAULTS,
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

type StatusOf<C extends ErrorCode> = (typeof ERRORS)[C]["status"] extends infer S
  ? S extends readonly number[]
    ? S[number]
    : S
  : never;
/** The codes that may be answered with `status`. */
export type ErrorCodeWith<S extends number> = {
  [C in ErrorCode]: S extends StatusOf<C> ? C : never;
}[ErrorCode];

export function statusesOf(code: ErrorCode): readonly number[] {
  const status: number | readonly number[] = ERRORS[code].status;
  return typeof status === "number" ? [status] : status;
}

/**
 * The error answer for a set of codes of one status: `code` enumerated, and the fields those
 * codes add, each optional since it depends on the code.
 */
export function errorAnswer(codes: readonly ErrorCode[]) {
  let fields: z.ZodRawShape = {};
  for (const code of codes) {
    const entry: Entry = ERRORS[code];
    for (const [name, schema] of Object.entries(entry.details ?? {}))
      fields = { ...fields, [name]: (schema as z.ZodType).optional() };
  }
  return z.object({
    error: z
      .object({
        code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
        message: z.string().meta({ description: "For people; never carries a secret" }),
        ...fields,
      })
      .strict(),
  });
}
