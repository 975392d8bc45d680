import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

import { configDefaults, defineConfig } from "vitest/config";

import { linguiPlugins } from "./web/lingui-catalogs.ts";

/**
 * Two tiers, run by name: `unit` needs nothing but Node (services on in-memory fakes with a manual
 * clock, the protocol, the web's and CLI's pure code); `integration` runs the real app on real
 * databases and real server processes. `vitest run` with no --project runs both. A third,
 * `heavy`, exists only with HEAVY_TESTS set (see below).
 */
export default defineConfig({
  // The web's Lingui macros and per-locale catalogs, as in web/vite.config.ts.
  plugins: linguiPlugins(
    fileURLToPath(new URL("web/lingui.config.ts", import.meta.url)),
    /\/web\/src\/.*\.tsx?$/,
  ),
  resolve: {
    // Tests run against the protocol's source, so they need no build step first.
    alias: {
      "@hushlink/protocol/client": fileURLToPath(
        new URL("protocol/src/client.ts", import.meta.url),
      ),
      "@hushlink/protocol": fileURLToPath(new URL("protocol/src/index.ts", import.meta.url)),
    },
  },
  test: {
    testTimeout: 30_000,
    // Vitest's default is one worker fewer than there are cores: one file at a time on the
    // 2-core machines CI runs on. Two at a time took the whole run from 543 s (one worker, last round) to 388 and 396 s
    // there (1,927 tests, quiet machine); the suites share no port, file, Redis key or database
    // name, so only their time limits see the difference. Larger machines keep the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "protocol/src/**/*.test.ts",
            "server/src/**/*.test.ts",
            "web/src/**/*.test.ts",
            "cli/test/**/*.test.ts",
          ],
          // The CLI run as a process against a real server (*.e2e.test.ts) is integration.
          exclude: [
            ...configDefaults.exclude,
            "cli/test/**/*.e2e.test.ts",
            "cli/test/**/*.heavy.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["server/test/**/*.test.ts", "cli/test/**/*.e2e.test.ts"],
          // One migrated database per dialect, copied for each test database.
          globalSetup: ["server/test/helpers/migrated-templates.ts"],
        },
      },
      // Opt-in (HEAVY_TESTS=1 npx vitest run --project heavy): minutes of disk and CPU, too much
      // for every CI run; a 1 GiB file end to end took 4.3 min on a loaded 2-core machine.
      ...(process.env.HEAVY_TESTS
        ? [
            {
              // In a conditional spread `true` widens to boolean, which `extends` does not take.
              extends: true as const,
              test: { name: "heavy", include: ["cli/test/**/*.heavy.test.ts"] },
            },
          ]
        : []),
    ],
  },
});
