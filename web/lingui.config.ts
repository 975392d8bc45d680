import { defineConfig } from "@lingui/conf";

/**
 * Messages are extracted into one PO file per area and locale, so engineers wrapping different
 * areas do not edit the same file. The build (lingui-catalogs.ts) compiles each area of a locale
 * into a module of its own, and a page loads "common" and its own areas (src/i18n/page-areas.ts):
 * the share and reveal pages must stay within the bundle budget in every language, so neither
 * loads the dashboard's messages. `catalogsMergePath` is for `lingui compile`, which merges all
 * areas of a locale into one file. Which folder belongs to which area: docs/i18n/README.md.
 */
const src = (paths: string[]) => paths.map((path) => `<rootDir>/src/${path}`);
const area = (name: string, include: string[], exclude: string[] = []) => ({
  path: `<rootDir>/src/locales/{locale}/${name}`,
  include: src(include),
  exclude: [...src(exclude), "**/*.test.ts", "**/*.test.tsx"],
});

/** Components of the reveal page ("/s") only. */
const VIEW_ONLY = [
  "features/shares/components/RevealForm.tsx",
  "features/shares/components/RevealedSecret.tsx",
  "features/shares/components/SecretBox.tsx",
  "features/shares/components/ShareGone.tsx",
  "features/shares/components/AccessRequired.tsx",
  "features/shares/components/EmailCodeField.tsx",
  "features/shares/components/SentBy.tsx",
  "features/shares/components/ShareFacts.tsx",
  "features/files/components/RevealedFiles.tsx",
];
/** The share form's options for signed-in members: loaded on "/" only once someone is signed in. */
const SHARE_SIGNED_IN = [
  "features/shares/components/SignedInOptions.tsx",
  "features/shares/components/RecipientsInput.tsx",
  "features/shares/components/SessionEnded.tsx",
  "features/shares/recipients.ts",
];
/** The manage page ("/m"), which loads every area, so its messages stay out of "/"'s. */
const MANAGE = ["pages/ManagePage", "features/shares/components/ManageStatusView.tsx"];
/** The requester's side of requests: creating one and opening its answers. */
const REQUEST_OWNER = [
  "pages/NewRequestPage",
  "pages/OpenRequestPage",
  "features/requests/components/NewRequestForm.tsx",
  "features/requests/components/RequestCreated.tsx",
  "features/requests/components/RequestAnswer.tsx",
  "features/requests/components/ReadingLinkForm.tsx",
  "features/requests/kept.ts",
  "features/requests/e2e.ts",
  "features/requests/api.ts",
];
/** Used by both the share form and the reveal page. */
const SHARED_BY_SHARE_AND_VIEW = [
  "features/shares/components/PasswordInput.tsx",
  "features/files/components/TransferProgress.tsx",
];

export default defineConfig({
  sourceLocale: "en",
  locales: ["en", "de", "fr", "es", "pt-BR", "it", "nl", "pl", "ja", "zh-Hans", "ar"],
  // A missing translation must fail the check, not quietly show English.
  fallbackLocales: false,
  format: "po",
  // No line numbers: an edit above a message must not rewrite every catalog of its area.
  formatOptions: { lineNumbers: false },
  orderBy: "message",
  catalogs: [
    area(
      "common",
      ["app.tsx", "main.tsx", "components", "lib", "i18n", "pages/NotFoundPage"],
      ["i18n/signed-in/**"],
    ),
    // The share form ("/") and the page that reveals a share ("/s") each load only their own
    // area with "common" (page-areas.ts), so neither first load carries the other's messages.
    // The few components both use are in both areas.
    area(
      "share",
      ["pages/SharePage", "features/shares", "features/files", "features/generator"],
      [...VIEW_ONLY, ...SHARE_SIGNED_IN, ...MANAGE],
    ),
    area("view", ["pages/ViewPage", ...VIEW_ONLY, ...SHARED_BY_SHARE_AND_VIEW]),
    area("share-signed-in", SHARE_SIGNED_IN),
    area("manage", MANAGE),
    // The page that answers a request ("/r"), and the requester's pages apart.
    area("requests", ["pages/RequestPage", "features/requests"], REQUEST_OWNER),
    area("request-owner", REQUEST_OWNER),
    area("dashboard", ["pages/App", "features/dashboard"]),
    // Organization administration has its own catalog so that it and the dashboard pages can
    // be wrapped and translated at the same time without editing the same PO files.
    area("admin", [
      "features/orgs",
      "features/audit",
      "features/webhooks",
      "features/policies",
      "features/sso",
      "features/branding",
    ]),
    area("account", [
      "pages/Login",
      "pages/Signup",
      "pages/ForgotPassword",
      "pages/ResetPassword",
      "pages/VerifyEmail",
      "pages/Invitation",
      "features/accounts",
      "i18n/signed-in",
    ]),
  ],
  catalogsMergePath: "<rootDir>/src/locales/compiled/{locale}",
  compileNamespace: "ts",
});
