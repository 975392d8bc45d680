import js from "@eslint/js";
import lingui from "eslint-plugin-lingui";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * One Access enum (protocol's `Access`, issue 16): a union of its values written again in the
 * features, the web or the CLI would not follow a change to it. The tables' column types
 * (server/src/db/schema/) describe storage and stay their own.
 */
const ACCESS_COPY = {
  selector:
    "TSUnionType:has(TSLiteralType > Literal[value='anyone']):has(TSLiteralType > Literal[value='organization'])",
  message: "Use the protocol's Access type rather than a copy of its values.",
};

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "server/bundle/**",
      "**/node_modules/**",
      "**/test-results/**",
      "e2e/artifacts/**",
      "bench/results/**",
      // Checked by its own strict tsc run against types generated at test time
      // (server/test/generated-client.test.ts); no project knows the generated file.
      "server/test/openapi-client/**",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
      // The bench is plain JavaScript, type-checked (checkJs, bench/tsconfig.json) and linted.
      "!bench/src/**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // A feature's SQL is its own: another feature asks its service, or gets a function passed in
    // by app.ts, so a repository can change without reading every other feature. A lazy
    // `import()` of a repository would pass no-restricted-imports, and no feature loads its own
    // lazily, so none is allowed (server/src/features/boundaries.test.ts tries each way).
    files: ["server/src/features/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../*/*.repository.js", "../*/**/*.repository.js"],
              message: "One feature does not import another feature's repository.",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        ACCESS_COPY,
        {
          selector: "ImportExpression[source.value=/\\.repository\\.js$/]",
          message: "A repository is imported statically, and only by its own feature.",
        },
      ],
    },
  },
  {
    // The same Access rule for the web and the CLI (the features' is in the block above: a later
    // block's no-restricted-syntax would replace theirs, not add to it).
    files: ["web/src/**/*.{ts,tsx}", "cli/src/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", ACCESS_COPY] },
  },
  {
    // The bench reads untyped JSON (answers, results, pino lines, CPU profiles) in plain
    // JavaScript; its `any` is checked where it is used, not at every member access.
    files: ["bench/src/**/*.mjs"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // page.mjs hands functions to Chromium that run in the page.
    files: ["bench/src/lib/page.mjs"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, "no-console": "off" },
  },
  {
    files: [
      "cli/**/*.ts",
      "bench/**/*.{ts,mjs}",
      "scripts/**/*.ts",
      "**/*.test.ts",
      "**/test/**/*.ts",
      "e2e/**/*.ts",
    ],
    rules: { "no-console": "off" },
  },
  {
    // How messages are written (no expressions or lone variables as messages, t inside
    // functions): for all of the web app.
    files: ["web/src/**/*.{ts,tsx}"],
    ...lingui.configs["flat/recommended"],
  },
  {
    // Every string a person reads is wrapped for translation (issue 22, docs/i18n/README.md):
    // all of web/src but its tests.
    files: ["web/src/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "lingui/no-unlocalized-strings": [
        "error",
        {
          ignore: [
            // One "word" that does not start with a capital: keys, codes, class names, URLs.
            "^(?![A-Z])\\S+$",
            // UPPERCASE constants.
            "^[A-Z0-9_-]+$",
            // The product's name is the same in every language.
            "^Hushlink$",
          ],
          ignoreNames: [
            { regex: { pattern: "className", flags: "i" } },
            { regex: { pattern: "^[A-Z0-9_-]+$" } },
            "href",
            "src",
            "type",
            "id",
            "key",
            "lang",
            "dir",
            "rel",
            "target",
            "autoComplete",
            "aria-describedby",
            "inputMode",
            "role",
            "variant",
          ],
          ignoreFunctions: [
            "console.*",
            "Error",
            "RangeError",
            "import",
            "*.getItem",
            "*.setItem",
            "*.startsWith",
            "*.includes",
            "document.*",
            "*.matchMedia",
            "api.*",
          ],
          ignoreMethodsOnTypes: ["Map.get", "Map.has", "Set.has"],
          useTsTypes: true,
        },
      ],
    },
  },
);
