#!/usr/bin/env node
// Fails when the message catalogs (src/locales/<locale>/<area>.po) are behind the code: a message
// in the code that `lingui extract` has not put in its catalog yet, a catalog entry the code no
// longer has, or a message without a translation in any language (issue 22). Reads with Lingui's
// own API, the same extraction `lingui extract` (docs/i18n/README.md) writes from. It also fails
// when one message has different translations in two areas of a language: the id is the same
// hash at run time, so whichever area loaded last would win (give the two a `context` instead).
// And it fails on a line that is not PO syntax: the PO reader skips what it does not understand,
// so a line such as `msgstr msgstr "…"` would otherwise lose its translation without a word.
// And it fails when a catalog is not in the order `lingui extract` writes (orderBy "message"), or
// an entry's origins are not the ones extract finds: an entry added or edited by hand then makes
// the next extract move lines in every language, in someone else's diff.
import { readFileSync } from "node:fs";

import { getConfig } from "@lingui/conf";
import { getCatalogs } from "@lingui/cli/api";

const config = getConfig({ configPath: new URL("../lingui.config.ts", import.meta.url).pathname });
const problems = [];
/** A comment, a keyword with one quoted string, a continued string, or nothing. */
const PO_LINE = /^(#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?) ".*"|".*"|)$/;
let total = 0;
/** Lingui's orderBy "message": the English text, then the context, by an en-US collator. */
const collator = new Intl.Collator("en-US");
const byMessage = (a, b) =>
  collator.compare(a.message ?? "", b.message ?? "") ||
  collator.compare(a.context ?? "", b.context ?? "");
const origins = (entry) => JSON.stringify((entry?.origin ?? []).map(([path]) => path));
/** locale → message id → the first area's file and translation */
const firstSeen = new Map(config.locales.map((locale) => [locale, new Map()]));

for (const catalog of await getCatalogs(config)) {
  const extracted = (await catalog.collect()) ?? {};
  const ids = Object.keys(extracted);
  total += ids.length;
  for (const locale of config.locales) {
    const file = catalog.getFilename(locale);
    const messages = (await catalog.read(locale)) ?? {};
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (!PO_LINE.test(line)) problems.push(`${file}:${index + 1}: not a PO line: ${line}`);
      });
    const notExtracted = ids.filter((id) => !(id in messages));
    const stale = Object.keys(messages).filter((id) => !(id in extracted));
    const untranslated =
      locale === config.sourceLocale
        ? []
        : ids.filter((id) => id in messages && !messages[id].translation?.trim());
    for (const [id, entry] of Object.entries(messages)) {
      const translation = entry.translation ?? "";
      const earlier = firstSeen.get(locale).get(id);
      if (!earlier) firstSeen.get(locale).set(id, { file, translation });
      else if (earlier.translation !== translation)
        problems.push(
          `${file}: ${JSON.stringify(entry.message ?? id)} is translated differently in ` +
            `${earlier.file}; one id serves both at run time`,
        );
    }
    const show = (list, source) =>
      list
        .slice(0, 5)
        .map((id) => `\n      ${JSON.stringify(source[id]?.message ?? id)}`)
        .join("");
    const entries = Object.values(messages);
    const outOfOrder = entries.findIndex(
      (entry, i) => i > 0 && byMessage(entries[i - 1], entry) > 0,
    );
    if (config.orderBy === "message" && outOfOrder > 0)
      problems.push(
        `${file}: ${JSON.stringify(entries[outOfOrder].message)} is out of order ` +
          `(lingui extract would move it)`,
      );
    const moved = ids.filter(
      (id) => id in messages && origins(messages[id]) !== origins(extracted[id]),
    );
    if (moved.length > 0)
      problems.push(
        `${file}: ${moved.length} message(s) whose origins extract would rewrite${show(moved, extracted)}`,
      );
    if (notExtracted.length > 0)
      problems.push(
        `${file}: ${notExtracted.length} new message(s) not extracted${show(notExtracted, extracted)}`,
      );
    if (stale.length > 0)
      problems.push(
        `${file}: ${stale.length} message(s) the code no longer has${show(stale, messages)}`,
      );
    if (untranslated.length > 0)
      problems.push(
        `${file}: ${untranslated.length} message(s) untranslated${show(untranslated, extracted)}`,
      );
  }
}

if (problems.length > 0) {
  console.error(`check-catalogs: ${problems.length} problem(s); see docs/i18n/README.md`);
  for (const problem of problems) console.error(`  ${problem}`);
  console.error(
    "  Run `cd web && npx lingui extract --clean`, then translate the empty msgstr entries.",
  );
  process.exit(1);
}
console.log(
  `check-catalogs: ${total} messages, translated in all ${config.locales.length} languages`,
);
