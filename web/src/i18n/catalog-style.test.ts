/**
 * How French, Spanish, Italian, Dutch and Simplified Chinese read (docs/i18n/glossary.md): every
 * message of every web catalog and of the server's e-mails, checked for what a native reader
 * would stop at and check-catalogs.mjs cannot see: English left in place, the other register
 * ("u" in Dutch, "usted" in Spanish), a second word for one glossary term, and each language's
 * punctuation (French no-break spaces and apostrophes, Chinese full-width marks).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

type Checked = "fr" | "es" | "it" | "nl" | "zh-Hans";
interface Rule {
  name: string;
  /** Matches a translation that breaks the rule. */
  wrong: RegExp;
}

/** Not a letter on either side: JavaScript's \b knows no accented letters. */
const word = (alternatives: string, flags = "iu") =>
  new RegExp(`(?<![\\p{L}’'-])(${alternatives})(?![\\p{L}’'-])`, flags);
const HAN = "\\p{Script=Han}";

const STYLE: Record<Checked, Rule[]> = {
  fr: [
    { name: "has a no-break space, not a plain one, before : ; ? !", wrong: / [:;?!]/ },
    { name: "has no-break spaces inside « »", wrong: /« | »/ },
    { name: "quotes with « »", wrong: /[“”„"]/ },
    { name: "writes the typographic apostrophe", wrong: /\p{L}'\p{L}/u },
    { name: "says vous, never tu", wrong: word("tu|toi|ton|ta|tes") },
  ],
  es: [
    { name: "quotes with « »", wrong: /[“”„"]/ },
    {
      name: "says tú, never usted",
      wrong: word(
        "usted|ustedes|añada|compruebe|vuelva a|inténtelo|introduzca|pulse|escriba|de su cuenta|es suyo",
      ),
    },
  ],
  it: [
    { name: "quotes with « »", wrong: /[“”„"]/ },
    { name: "says tu, never Lei", wrong: word("Lei|Suo|Sua|Suoi|Sue|La preghiamo", "u") },
  ],
  nl: [
    { name: "says je, never u", wrong: word("u|uw") },
    { name: "quotes with ‘ ’", wrong: /[“”„"]/ },
    // A domain an organization has shown to be its own: one word, as the admin pages use.
    { name: "says geverifieerd, never bewezen", wrong: word("bewezen|bewijzen|bewijs") },
  ],
  "zh-Hans": [
    {
      name: "writes full-width punctuation next to Chinese",
      wrong: new RegExp(`[${HAN}][,;:?!]|[,;:?!](?=[${HAN}])|[}>”][,;:?!]\\s*[${HAN}]|[()]`, "u"),
    },
    { name: "says 您, never 你", wrong: /你/ },
    // "名称 （可选）", "1 GB。 在您的浏览器中": Chinese sets no space beside its full-width marks.
    { name: "puts no space beside full-width marks", wrong: / (<\d+>)?（|[。，；：？！）] / },
  ],
};

/** Messages that read the same in a language as in English, and rightly so. */
const LOANS = ["Slack", "Webhook", "Webhooks", "Logo", "Test", "Audit"];
const SAME_AS_ENGLISH: Record<Checked, ReadonlySet<string>> = {
  fr: new Set([
    ...LOANS,
    "{minutes, plural, one {# minute} other {# minutes}}",
    "Actions",
    "Format",
    "Invitation",
    "Secret",
    "Standard",
  ]),
  es: new Set(["Slack", "Webhook", "Webhooks", "Endpoint", "Endpoints"]),
  // The glossary keeps these English in Italian and Dutch.
  it: new Set([
    ...LOANS,
    ", link ",
    "{activeLabel} · Dashboard",
    "Account",
    "Branding",
    "Dashboard",
    "End-to-end",
    "Endpoint",
    "Passkey",
    "Password",
    "Single sign-on",
    "Standard",
  ]),
  nl: new Set([
    ...LOANS,
    ", link ",
    "{activeLabel} · Dashboard",
    "Account",
    "Contrast",
    "Dashboard",
    "End-to-end",
    "Endpoint",
    "Endpoints",
    // OpenID Connect's own words, as the provider's settings page shows them.
    "Issuer",
    "Scopes",
    "Open",
    "Single sign-on",
    "Status",
  ]),
  "zh-Hans": new Set(["Slack", "Webhook"]),
};

const WEB = fileURLToPath(new URL("../locales/", import.meta.url));
const MAIL = fileURLToPath(new URL("../../../server/src/features/mail/locales/", import.meta.url));

interface Entry {
  file: string;
  id: string;
  english: string;
  translation: string;
}

/** msgid → msgstr of a PO file as Lingui writes it (one line per string, no plurals). */
function readPo(path: string): Map<string, string> {
  const entries = new Map<string, string>();
  let id: string | undefined;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [, keyword, quoted] = /^(msgid|msgstr) (".*")$/.exec(line) ?? [];
    if (!quoted) continue;
    const value = JSON.parse(quoted) as string;
    if (keyword === "msgid") id = value;
    else if (id) entries.set(id, value);
  }
  return entries;
}

function entries(locale: Checked): Entry[] {
  const all: Entry[] = [];
  for (const name of readdirSync(`${WEB}${locale}`).filter((file) => file.endsWith(".po"))) {
    const english = readPo(`${WEB}en/${name}`);
    for (const [id, translation] of readPo(`${WEB}${locale}/${name}`))
      all.push({ file: `web/${locale}/${name}`, id, english: english.get(id) || id, translation });
  }
  // The e-mails' ids are keys ("mail.share.subject"); their English is en.po's.
  const english = readPo(`${MAIL}en.po`);
  for (const [id, translation] of readPo(`${MAIL}${locale}.po`))
    all.push({ file: `mail/${locale}.po`, id, english: english.get(id) ?? id, translation });
  return all;
}

/** The words of a message, without placeholders, tags and ICU keywords. */
const words = (message: string) =>
  message
    .replace(/<\/?\d+>/g, " ")
    .replace(/\{\w+(, (plural|select|selectordinal),)?/g, " ")
    .replace(/\b(one|other|few|many|zero|two|yes|no|=\d+)\s*\{/g, " ");

describe.each(Object.keys(STYLE) as Checked[])("the %s catalogs", (locale) => {
  const all = entries(locale);
  const rules = STYLE[locale];

  it("have read every message (web and e-mail)", () => {
    expect(all.length).toBeGreaterThan(1000);
  });

  it("leave no message in English unless it is the same word in this language", () => {
    const same = all
      .filter(
        (entry) => entry.translation === entry.english && /\p{L}{2}/u.test(words(entry.english)),
      )
      .map((entry) => entry.english)
      .filter((english) => !SAME_AS_ENGLISH[locale].has(english));
    expect([...new Set(same)]).toEqual([]);
  });

  for (const rule of rules) {
    it(rule.name, () => {
      const wrong = all
        .filter((entry) => rule.wrong.test(entry.translation))
        .map((entry) => `${entry.file}: ${entry.translation}`);
      expect(wrong).toEqual([]);
    });
  }
});
