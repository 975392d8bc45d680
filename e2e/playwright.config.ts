import { defineConfig } from "@playwright/test";

/**
 * End-to-end specs in Chromium against the real server (built `server/dist/main.js` serving the
 * built `web/dist`), started once by global-setup.ts on a free port with a throwaway data folder.
 * Build first: `npm run build` at the root (`npm run test:e2e` does both).
 */
export default defineConfig({
  testDir: "./specs",
  outputDir: "./artifacts/test-results",
  globalSetup: "./global-setup.ts",
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "./artifacts/report", open: "never" }]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-gpu",
        "--disable-component-update",
      ],
    },
    colorScheme: "light",
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
    // Under CI no trace: a CI failure is read from its log (scripts/test.mjs names the test and
    // its first message line) and its screenshot, while recording a trace (DOM snapshots of every
    // step, kept or not) cost a fifth of the browser tests' CPU: 214 s vs 169 s for the same 44
    // tests (account-pages, i18n, share-conveniences, link-reload, gone) on a loaded machine.
    // Locally a failed test keeps its trace as before.
    trace: process.env.CI ? "off" : "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "desktop",
      use: { viewport: { width: 1280, height: 800 } },
    },
    {
      // Every page state again at phone width: layout screenshots and axe, not the whole suite.
      name: "mobile",
      testMatch: /pages\.spec\.ts/,
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    },
  ],
});
