import react from "@vitejs/plugin-react";
import { lingui } from "@lingui/vite-plugin";
import { defineConfig } from "vite";

import { earlyStartPlugin } from "./early-start-plugin.ts";
import { linguiPlugins } from "./lingui-catalogs.ts";
import { pageChunks } from "./page-chunks.ts";

const chunks = pageChunks();

// Plain URL arithmetic keeps Node's types out of this browser project.
const fromHere = (relative: string) =>
  decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig({
  plugins: [
    {
      name: "hushlink-page-chunks",
      apply: "build",
      buildStart: () => chunks.reset(),
      moduleParsed: (info) => chunks.note(info.id),
    },
    ...linguiPlugins(fromHere("./lingui.config.ts"), /\/web\/src\/.*\.tsx?$/),
    lingui({ configPath: fromHere("./lingui.config.ts") }),
    react(),
    earlyStartPlugin(),
  ],
  resolve: {
    // The protocol is compiled from source, so the bundle gets exactly what the pages use.
    // "@hushlink/protocol" (with zod) is for `import type` only.
    alias: [
      { find: /^@hushlink\/protocol\/client$/, replacement: fromHere("../protocol/src/client.ts") },
      { find: /^@hushlink\/protocol$/, replacement: fromHere("../protocol/src/index.ts") },
    ],
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    manifest: true,
    sourcemap: false,
    // The polyfill is for browsers without modulepreload; every browser with WebCrypto and
    // module workers has it.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // One chunk per budgeted page instead of a dozen small ones (page-chunks.ts, issue 24).
        codeSplitting: {
          groups: [
            { name: (id, ctx) => chunks.name(id, ctx), includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  worker: { format: "es" },
  server: { port: 5173, strictPort: false },
});
