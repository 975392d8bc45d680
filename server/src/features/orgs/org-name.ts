/**
 * The name a new organization gets at sign-up (issue 25, defect 5): the e-mail domain when it is
 * a company's own, since that is what people recognise on branded pages and in e-mails, and the
 * person's name otherwise. Public mail providers and the reserved example and test domains
 * (RFC 2606, RFC 6761) name nobody's organization. Admins rename it later (PATCH /orgs/{id}).
 * The person's is written in the sign-up's language ("Organisation de Marie"): its words are in
 * the server's catalogs with the mails' (server/lingui.config.ts reads this file too).
 */
import { DEFAULT_LOCALE, displayName, type SupportedLocale } from "@hushlink/protocol";

import { oneLine } from "../../lib/mail-queue.js";
import { mailI18n } from "../mail/mail.i18n.js";

export const MAX_ORG_NAME = 200;

/** Providers whose addresses anyone can get; exact domains. */
const PUBLIC_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "yahoo.com",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "tutanota.com",
  "tuta.io",
  "fastmail.com",
  "zoho.com",
  "mail.com",
  "web.de",
  "t-online.de",
  "freenet.de",
  "posteo.de",
  "mailbox.org",
  "orange.fr",
  "free.fr",
  "laposte.net",
  "libero.it",
  "seznam.cz",
  "wp.pl",
  "mail.ru",
  "qq.com",
  "163.com",
  "126.com",
]);

/** Providers that run one service under many country domains: gmx.de, gmx.net, yahoo.co.uk, … */
const PUBLIC_FAMILIES = ["gmx", "yahoo", "hotmail", "outlook", "live", "yandex", "aol"];

/** Reserved for examples and tests: example.com/.net/.org and the .example, .test, … domains. */
const RESERVED = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local)$/;

export function isPublicMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (PUBLIC_DOMAINS.has(d) || RESERVED.test(d)) return true;
  const first = d.split(".")[0] ?? "";
  return PUBLIC_FAMILIES.includes(first);
}

const valid = (name: string) =>
  name.length > 0 && displayName(MAX_ORG_NAME).safeParse(name).success;

/**
 * The new organization's name for `email`, whose owner typed `personName` (maybe nothing), in
 * `locale` (English by default).
 */
export function newOrgName(
  email: string,
  personName: string | undefined,
  locale: SupportedLocale = DEFAULT_LOCALE,
): string {
  const domain = (email.split("@")[1] ?? "").toLowerCase();
  if (domain && !isPublicMailDomain(domain) && valid(domain)) return domain;
  const i18n = mailI18n(locale);
  const person = oneLine(personName ?? "") || email.split("@")[0] || email;
  const name = i18n
    ._({ id: "org.defaultName.person", message: "{person}'s organization", values: { person } })
    .slice(0, MAX_ORG_NAME);
  // An address's local part may hold what names refuse (bidi overrides): then a plain name.
  return valid(name) ? name : i18n._({ id: "org.defaultName.plain", message: "My organization" });
}
