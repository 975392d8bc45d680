import { z } from "zod";

import { hasCanonicalEnd, hasWholeLength } from "../encoding.js";
import { SUPPORTED_LOCALES } from "../locales.js";

// The address and domain schemas live beside the rule they apply (email.ts).
export { AccountEmail, Email, EmailDomain, RecipientEmail } from "./email.js";

/**
 * The one spelling of some bytes: a last character with stray low bits names the same bytes as
 * the canonical one, so an id, token or verifier would have two spellings (refused: 400).
 */
const canonical = {
  message: "must be canonical base64url (the last character's unused bits must be zero)",
  // Only where the shape is right: a wrong length or character has its own message.
  when: (payload: { value: unknown; issues: readonly unknown[] }) => payload.issues.length === 0,
};

/** Unpadded canonical base64url that decodes to exactly `bytes` bytes. */
export function base64UrlBytes(bytes: number) {
  const length = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(length, { message: `must be ${bytes} bytes of base64url (${length} characters)` })
    .regex(/^[A-Za-z0-9_-]+$/, { message: "must be base64url without padding" })
    .refine(hasCanonicalEnd, canonical)
    .meta({ pattern: canonicalPattern(length) });
}

/**
 * The JSON Schema pattern of exactly `length` characters of canonical base64url, for OpenAPI
 * clients (zod checks the same with the regex and refinement above, each with its own message).
 */
function canonicalPattern(length: number): string {
  const last = { 0: "", 2: "[AQgw]", 3: "[AEIMQUYcgkosw048]" }[length % 4] ?? "";
  const body = last ? length - 1 : length;
  return `^[A-Za-z0-9_-]{${body}}${last}$`;
}

/** Unpadded canonical base64url of `minBytes` to `maxBytes` bytes. */
export function base64UrlBetween(minBytes: number, maxBytes: number) {
  return z
    .string()
    .min(Math.ceil((minBytes * 4) / 3), { message: `must be at least ${minBytes} bytes` })
    .max(Math.ceil((maxBytes * 4) / 3), { message: `must be at most ${maxBytes} bytes` })
    .regex(/^[A-Za-z0-9_-]+$/, { message: "must be base64url without padding" })
    .refine(hasWholeLength, { message: "is not valid base64url" })
    .refine(hasCanonicalEnd, canonical);
}

/**
 * C0 and C1 control characters (ESC starts terminal sequences; CR and LF fake new rows), DEL, and
 * the bidirectional overrides and isolates that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Half of a surrogate pair (with the `u` flag a whole pair is one code point and does not match).
 * JSON can carry one as an escape, but UTF-8 cannot: stored or encrypted, it becomes U+FFFD, so
 * the text read back would not be the text sent.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `s` is well-formed Unicode, i.e. survives UTF-8 unchanged. */
export const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
export const NOT_WELL_FORMED = "must be well-formed Unicode (it has half of a surrogate pair)";

/** U+0000, which PostgreSQL's text cannot hold (SQLite's can). */
const hasNul = (s: string) => s.includes("\u0000");
export const NO_NUL = "must not contain NUL (U+0000)";

/**
 * Text a request looks rows up by: a search, or the id of a row it names (an organization, member,
 * invitation, token, webhook, passkey, recipient). PostgreSQL refuses U+0000 in a parameter, so a
 * lookup with it failed there (a 500) where SQLite found nothing; it is refused up front on both.
 */
export function lookupText(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .refine((s) => !hasNul(s), { message: NO_NUL });
}

/** The id of a row a request names, as a path or query parameter or in a body. */
export const RowId = lookupText(64);

/** A name people give (share, request, user, token, organization): printable text only. */
export function displayName(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .refine((s) => !CONTROL_CHARACTERS.test(s), {
      message: "must not contain control characters",
    })
    .refine(wellFormed, { message: NOT_WELL_FORMED });
}

/** Always written by Date.toISOString(); `format` tells OpenAPI clients it is a date-time. */
export const IsoDate = z
  .string()
  .meta({ format: "date-time", description: "ISO 8601 date and time, UTC" });

/**
 * The account's password, optional where an action asks for a recent proof of identity (adding a
 * second factor, SPEC F16; an API token, F8; an admin's dangerous changes, F8, F15, F18): a
 * session signed in within the last 15 minutes needs none, an older one sends it, since a stolen
 * session alone must not do what outlives it or hands the organization to someone else.
 */
export const RecentProof = {
  password: z.string().min(1).max(1024).optional(),
};

/** The one spelling `decimalInteger` takes: decimal, without a sign or leading zeros. */
export const DECIMAL_INTEGER = /^(0|[1-9][0-9]{0,9})$/;

/**
 * Every schema `decimalInteger` made, with its bounds: a server may check such a field without
 * zod's parse (server/src/lib/zod-validator.ts) and knows it by identity, as it knows
 * `hasCanonicalEnd`, never by the shape of zod's internals.
 */
export const decimalIntegers = new WeakMap<z.ZodType, { min: number; max: number }>();

/**
 * A whole number in a path or a query in its one spelling, decimal without a sign or leading
 * zeros: a plain coercion took `01`, `1.0`, `1e1`, `0x1` or ` 1` as a number, so one value had
 * many spellings.
 */
export function decimalInteger(min: number, max: number) {
  const schema = z
    .string()
    .regex(DECIMAL_INTEGER, {
      message: "must be a whole number written in decimal, without leading zeros",
    })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    // Documented as what it is, an integer in a range (generated clients keep a number), with
    // the one spelling taken said in words: JSON Schema's integer has no notion of spelling.
    .meta({
      type: "integer",
      minimum: min,
      maximum: max,
      pattern: undefined,
      description: `A whole number from ${min} to ${max}, in decimal without a sign or leading zeros`,
    });
  decimalIntegers.set(schema, { min, max });
  return schema;
}

export const Cursor = z.string().max(200).optional();
/** A page's size in a list's query (`?limit=`): 1 to 100, 25 without one. */
export const Limit = decimalInteger(1, 100).default(25).meta({
  default: 25,
  description: "How many items a page holds: 1 to 100 in decimal (no leading zeros), 25 by default",
});

/** A list answered whole, in one answer: its items. */
export function itemList<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item) });
}

/** A page of a list read with `cursor` and `limit`: its items and the next page's cursor (null on the last). */
export function cursorPage<Item extends z.ZodType>(item: Item) {
  return itemList(item).extend({ nextCursor: z.string().nullable() });
}
/** What `cursorPage` answers for items of type `Item`: the type clients page any list with. */
export type CursorPage<Item> = z.output<ReturnType<typeof cursorPage<z.ZodType<Item>>>>;

/**
 * The event trail of a share or a request (`GET …/{id}/events`): each event's type, when, from
 * which address, the signed-in member's address if there was one, and `extra` fields after those.
 */
export function eventTrail<Type extends z.ZodType, Extra extends z.ZodRawShape>(
  type: Type,
  extra: Extra,
) {
  return itemList(
    z.object({
      type,
      at: IsoDate,
      ip: z.string().nullable(),
      userEmail: z.string().optional(),
      ...extra,
    }),
  );
}

export const ErrorBody = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
    })
    .loose(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A language Hushlink speaks (SPEC F17): a BCP 47 tag from SUPPORTED_LOCALES. */
export const Locale = z.enum(SUPPORTED_LOCALES).meta({
  id: "Locale",
  description: "A language Hushlink speaks, as a BCP 47 tag",
});
export type Locale = z.infer<typeof Locale>;

export const Branding = z
  .object({
    /** The organization's name: branded pages show it instead of Hushlink's. */
    orgName: z.string(),
    primaryColor: z.string(),
    backgroundColor: z.string(),
    textColor: z.string(),
    logoUrl: z.string().nullable(),
    /**
     * Extension (F17): the organization's default language, which its branded pages start in
     * when the visitor has not picked one; null when the organization has none. Optional for
     * older servers.
     */
    defaultLocale: Locale.nullable().optional(),
  })
  .meta({ id: "Branding" });
export type Branding = z.infer<typeof Branding>;

/** Who may reveal a share or answer a request: anyone with the link, or the organization's members. */
export const Access = z.enum(["anyone", "organization"]).meta({ id: "Access" });
export type Access = z.infer<typeof Access>;

/**
 * What a share and a request show of themselves in a list or a status: the id, the name its
 * creator gave it (null without one), and when it was made and runs out.
 */
export const namedSecretFields = {
  id: z.string(),
  name: z.string().nullable(),
  createdAt: IsoDate,
  expiresAt: IsoDate,
};

/** `GET /api/v1/config`: the limits a client shows and checks before encrypting. */
export const PublicConfig = z
  .object({
    maxSecretBytes: z.number().int(),
    maxExpiresIn: z.number().int(),
    maxViews: z.number().int(),
    passwordAttempts: z.number().int(),
    emailEnabled: z.boolean(),
    /**
     * Files (extension, F12): at most this many per share, this many plaintext bytes in total for
     * a signed-in creator and for an anonymous one (0: no files without signing in), downloadable
     * this many seconds after the reveal that used the last view. Optional for older servers.
     */
    maxFiles: z.number().int().optional(),
    maxFileBytes: z.number().int().optional(),
    anonymousMaxFileBytes: z.number().int().optional(),
    downloadWindow: z.number().int().optional(),
    /** Whether people without an account may ask for secrets (F13, `ANONYMOUS_REQUESTS`). */
    anonymousRequests: z.boolean().optional(),
    /** Whether people without an account may create shares (F16, `ANONYMOUS_SHARING`). */
    anonymousSharing: z.boolean().optional(),
    /**
     * Who may create an account (extension, F15): anyone (`open`), invited addresses only
     * (`invite`), or addresses at `domains` (`domains`); an invitation works in every mode.
     * Optional for older servers, which were open.
     */
    signup: z
      .object({
        mode: z.enum(["open", "invite", "domains"]),
        domains: z.array(z.string()),
      })
      .optional(),
    /**
     * The address people use (`PUBLIC_URL`, extension): links are `{publicUrl}/s#…` even when a
     * client reaches the server at another address (the CLI on an internal one). Optional for
     * older servers, whose clients build links on the address they called.
     */
    publicUrl: z.string().optional(),
  })
  .meta({ id: "PublicConfig" });
export type PublicConfig = z.infer<typeof PublicConfig>;

/**
 * The query of a dashboard list (`GET /api/v1/shares`, `GET /api/v1/requests`): a page of an
 * organization's items (`orgId`, else the caller's first) and, as an extension, its search and
 * filters: `status` (of the list's own kind), `creator` "me" or a member's user id, `q` a part of
 * the name. A key it does not know answers 400, as the audit list's does: a misspelt filter
 * (`stauts=active`) would otherwise list everything as if it were applied.
 */
export function orgListQuery<Status extends z.ZodType>(status: Status) {
  return z
    .object({
      cursor: Cursor,
      limit: Limit,
      orgId: RowId.optional(),
      status: status.optional(),
      creator: RowId.min(1).optional(),
      q: lookupText(200).trim().optional(),
    })
    .strict();
}
