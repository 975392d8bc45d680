import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

export default defineConfig({
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
    include: [
      "protocol/src/**/*.test.ts",
      "server/src/**/*.test.ts",
      "server/test/**/*.test.ts",
      "cli/test/**/*.test.ts",
      "web/src/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
