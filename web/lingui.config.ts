import { defineConfig } from "@lingui/conf";

/**
 * Messages are extracted into one PO file per area and locale, so engineers wrapping different
 * areas do not edit the same file; `catalogsMergePath` (and the build's catalog plugin,
 * lingui-catalogs.ts) joins the areas of a locale into ONE compiled module that the page loads
 * lazily. Which folder belongs to which area: docs/i18n/README.md.
 */
const area = (name: string, include: string[]) => ({
  path: `<rootDir>/src/locales/{locale}/${name}`,
  include: include.map((folder) => `<rootDir>/src/${folder}`),
});

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
    area("common", ["app.tsx", "main.tsx", "components", "lib", "i18n"]),
    area("public", [
      "pages/SharePage",
      "pages/ViewPage",
      "pages/ManagePage",
      "pages/RequestPage",
      "pages/OpenRequestPage",
      "pages/NewRequestPage",
      "pages/NotFoundPage",
      "features/shares",
      "features/files",
      "features/generator",
      "features/requests",
    ]),
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
    ]),
  ].map((catalog) => ({ ...catalog, exclude: ["**/*.test.ts", "**/*.test.tsx"] })),
  catalogsMergePath: "<rootDir>/src/locales/compiled/{locale}",
  compileNamespace: "ts",
});
