/**
 * The schemas of e-mail addresses and domains (SPEC F8, F14, F15, "Lookalike domains"): each
 * puts the domain in its one spelling and, where an address or a domain is stored, refuses a
 * lookalike, by the rule of ../email-domain.ts.
 */
import { z } from "zod";

import { canonicalDomain } from "../email-domain.js";

const EmailText = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  // One address, no display name, no whitespace or control characters (header injection).
  .regex(
    // eslint-disable-next-line no-control-regex
    /^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+@[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+\.[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+$/,
    {
      message: "must be a plain e-mail address",
    },
  );

/**
 * C1 controls and the bidirectional marks, overrides and isolates (`\u202e` before `bob@x.test`
 * shows it reversed), which the regex above lets through. Refused where an address is stored or
 * written to, as in the names listed beside it (common.ts); sign-in takes them, so no account
 * made with one before is locked out.
 */
const DISPLAY_CONTROLS = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const StoredEmailText = EmailText.refine((value) => !DISPLAY_CONTROLS.test(value), {
  message: "must not contain control characters",
});

const domainPart = (address: string) => address.slice(address.lastIndexOf("@") + 1);

/** The address with its domain in its one spelling (email-domain.ts), when it has one. */
function canonicalAddress(address: string): string {
  const verdict = canonicalDomain(domainPart(address));
  if (!verdict.ok || verdict.domain === domainPart(address)) return address;
  return `${address.slice(0, address.lastIndexOf("@") + 1)}${verdict.domain}`;
}

/**
 * Refuses a domain IDNA refuses, and one with a label that mixes scripts: that issue carries
 * `params.code` "confusable_domain", which the server answers with that error code.
 */
function checkDomain(value: string, ctx: z.RefinementCtx, domain = value): void {
  const verdict = canonicalDomain(domain);
  if (verdict.ok) return;
  ctx.addIssue(
    verdict.reason === "mixed_scripts"
      ? {
          code: "custom",
          message: CONFUSABLE_DOMAIN_MESSAGE,
          params: { code: "confusable_domain" },
        }
      : { code: "custom", message: "has a domain that is not a valid internationalized name" },
  );
}
const CONFUSABLE_DOMAIN_MESSAGE =
  "has a domain that mixes scripts in one label (a lookalike of another domain)";

/**
 * An address as sign-in, password reset and SSO discovery take it: its domain in its one
 * spelling where it has one, so `bücher.example` and `xn--bcher-kva.example` find the same
 * account. A domain the rule refuses is kept as typed, so no account made before is locked out.
 */
export const Email = EmailText.overwrite(canonicalAddress);

/**
 * An address the server writes to, or stores for someone (share recipients): an Email whose
 * domain keeps the rule of email-domain.ts (valid IDNA, no label mixing scripts).
 */
export const RecipientEmail = StoredEmailText.superRefine((value, ctx) =>
  checkDomain(value, ctx, domainPart(value)),
).overwrite(canonicalAddress);

/**
 * An address a new account or an invitation is made for: an Email in its one spelling. A mail
 * system delivers `bob@x.com.` (a trailing dot) and compatibility spellings (full-width letters
 * or dots) where it delivers the plain one, so each would be a second account, or an invitation,
 * for the inbox of the first. Sign-in takes any Email, so no account made before is locked out.
 * Its domain keeps the rule of email-domain.ts, as RecipientEmail's does.
 */
export const AccountEmail = StoredEmailText.refine(
  (value) =>
    value === value.normalize("NFKC") &&
    !/[.\u3002\uff0e\uff61]$/.test(value) &&
    !/[\u3002\uff0e\uff61]|\.\./.test(domainPart(value)),
  {
    message:
      "must be spelled plainly: no dot at the end or twice in a row, no full-width or other compatibility characters",
  },
)
  .superRefine((value, ctx) => checkDomain(value, ctx, domainPart(value)))
  .overwrite(canonicalAddress);

/**
 * A bare DNS name: what follows the @ of the organization's addresses, in the spelling
 * addresses are kept in (so an SSO claim of `xn--bcher-kva.example` matches `bob@bücher.example`).
 */
export const EmailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .superRefine((value, ctx) => checkDomain(value, ctx))
  .refine(
    (value) => {
      const verdict = canonicalDomain(value);
      return (
        !verdict.ok ||
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(
          verdict.ascii,
        )
      );
    },
    { message: "a domain name" },
  )
  .overwrite((value) => {
    const verdict = canonicalDomain(value);
    return verdict.ok ? verdict.domain : value;
  });
