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
    trace: "retain-on-failure",
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
