/** The shape of one entry of the error catalogue, and the fields some codes add. */
import { z } from "zod";

import { Branding, IsoDate } from "../common.js";

export interface Entry {
  status: number | readonly number[];
  meaning: string;
  details?: z.ZodRawShape;
}

/** The fields some codes add next to `code` and `message`. */
const ValidationIssue = z
  .object({ path: z.string(), message: z.string() })
  .meta({ id: "ValidationIssue" });
export const issues = { issues: z.array(ValidationIssue).optional() };
export const retryAt = { retryAt: IsoDate };
export const attempts = { attemptsRemaining: z.number().int() };
export const branded = { branding: Branding.optional() };
