/**
 * The one rule for the domain of an e-mail address (docs/SPEC.md, "Lookalike domains"): a
 * domain is kept in one spelling, so `bücher.example` and `xn--bcher-kva.example` are the same
 * address, and a label that mixes scripts (`exаmple` with a Cyrillic "а") is refused, since it
 * looks like another organization's domain while the mail goes to whoever registered it.
 *
 * No node: imports: the schemas run in browsers too. The IDNA mapping (UTS #46, as URLs do it)
 * is the WHATWG URL parser's; the way back from punycode (RFC 3492) is the punycode package's,
 * whose ES module runs unchanged in Node, browsers and the test runner.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a .d.ts of ambient types has no module to import; web and server compile this file by path
/// <reference path="./punycode-module.d.ts" />
import { decode } from "punycode/punycode.es6.js";

export type DomainVerdict =
  { ok: true; domain: string; ascii: string } | { ok: false; reason: "invalid" | "mixed_scripts" };

/** Plain ASCII with no punycode label: kept exactly as it was before this rule. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const ACE_LABEL = /(^|\.)xn--/i;
/** What would make the URL parser read a host out of something other than a whole domain. */
const NOT_IN_A_DOMAIN = /[\s/?#%:@\\[\]^|<>"]/u;
const LDH_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The domain's ASCII (punycode) form, or null when IDNA refuses it. */
function toAscii(domain: string): string | null {
  if (NOT_IN_A_DOMAIN.test(domain)) return null;
  let host: string;
  try {
    host = new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
  const labels = host.split(".");
  const tld = labels[labels.length - 1] ?? "";
  // A host that reads as an IPv4 address (full-width digits become one) is not a mail domain.
  if (host.length > 253 || !/[a-z]/.test(tld)) return null;
  return labels.every((label) => LDH_LABEL.test(label)) ? host : null;
}

/** One punycode label (without `xn--`) decoded, or null when it is not valid punycode. */
function decodeLabel(input: string): string | null {
  try {
    return decode(input);
  } catch {
    // punycode throws a RangeError for a digit out of range, an overflow or non-ASCII input.
    return null;
  }
}

function toUnicode(ascii: string): string | null {
  const labels: string[] = [];
  for (const label of ascii.split(".")) {
    if (!label.startsWith("xn--")) {
      labels.push(label);
      continue;
    }
    const decoded = decodeLabel(label.slice(4));
    if (decoded === null) return null;
    labels.push(decoded);
  }
  return labels.join(".");
}

/**
 * Scripts a label may be written in (UAX #31's recommended scripts). A letter of any other
 * script is refused: those are rare in domains and many of them imitate Latin letters.
 */
const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Armenian",
  "Hebrew",
  "Arabic",
  "Thaana",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Thai",
  "Lao",
  "Tibetan",
  "Myanmar",
  "Georgian",
  "Hangul",
  "Ethiopic",
  "Khmer",
  "Han",
  "Hiragana",
  "Katakana",
  "Bopomofo",
].map((name) => [name, new RegExp(`^\\p{Script=${name}}$`, "u")] as const);
/** Digits, the hyphen, marks that take the script of the letter they sit on. */
const ANY_SCRIPT = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
/** UTS #39 "highly restrictive": one script, or Latin with one of the East Asian sets. */
const EAST_ASIAN_SETS = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Bopomofo"]),
  new Set(["Latin", "Han", "Hangul"]),
];

/** Whether a label (in Unicode) keeps to one script, as UTS #39 "highly restrictive" has it. */
export function labelKeepsToOneScript(label: string): boolean {
  const scripts = new Set<string>();
  for (const char of label) {
    if (ANY_SCRIPT.test(char)) continue;
    const script = SCRIPTS.find(([, pattern]) => pattern.test(char));
    if (!script) return false;
    scripts.add(script[0]);
  }
  if (scripts.size <= 1) return true;
  return EAST_ASIAN_SETS.some((set) => [...scripts].every((s) => set.has(s)));
}

/**
 * The domain in its one spelling: lower-case Unicode after IDNA's mapping (what people read, and
 * what addresses were stored as before), with its ASCII form beside it. Plain ASCII domains are
 * returned as they came.
 */
export function canonicalDomain(domain: string): DomainVerdict {
  if (PLAIN_ASCII.test(domain) && !ACE_LABEL.test(domain)) {
    return { ok: true, domain, ascii: domain };
  }
  const ascii = toAscii(domain);
  const unicode = ascii === null ? null : toUnicode(ascii);
  // Decoded and encoded again, the domain must come back the same: anything else is not IDNA.
  if (ascii === null || unicode === null || toAscii(unicode) !== ascii) {
    return { ok: false, reason: "invalid" };
  }
  if (!unicode.split(".").every(labelKeepsToOneScript))
    return { ok: false, reason: "mixed_scripts" };
  return { ok: true, domain: unicode, ascii };
}

/** `bob@bücher.example` → `xn--bcher-kva.example`; null for an ASCII or unreadable domain. */
export function punycodeOf(address: string): string | null {
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (PLAIN_ASCII.test(domain)) return null;
  return toAscii(domain.toLowerCase());
}
