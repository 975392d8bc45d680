/**
 * The e-mails' message catalogs (SPEC F17), apart from the web app's: `lingui extract --config
 * server/lingui.config.ts` collects the messages of the mail templates (explicit ids, English
 * source) into locales/{locale}.po; `lingui compile` turns each into a TypeScript module beside
 * it, which tsc builds into dist with the rest of the server. `--strict` fails on a message
 * missing in any language.
 */
import type { LinguiConfig } from "@lingui/conf";
import { formatter } from "@lingui/format-po";

const config: LinguiConfig = {
  sourceLocale: "en",
  locales: ["en", "de", "fr", "es", "pt-BR", "it", "nl", "pl", "ja", "zh-Hans", "ar"],
  catalogs: [
    {
      path: "<rootDir>/src/features/mail/locales/{locale}",
      // The mails' messages, and the name a sign-up's organization gets (org-name.ts).
      include: [
        "<rootDir>/src/features/mail/templates*.ts",
        "<rootDir>/src/features/orgs/org-name.ts",
      ],
    },
  ],
  // Files without line numbers, so moving a message in the code does not touch every catalog.
  format: formatter({ lineNumbers: false }),
  compileNamespace: "ts",
  // The ids are explicit ("mail.<kind>.<part>"); the English text is the source locale's message.
  orderBy: "messageId",
};

export default config;
