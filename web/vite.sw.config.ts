import { defineConfig } from "vite";

// The download service worker (src/features/files/download-sw.ts) as one classic script at a
// fixed address, /files-download/sw.js: its scope is its folder, and a classic script (not a
// module) registers in every browser with service workers. Built after the app, into its dist.
const fromHere = (relative: string) =>
  decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig({
  publicDir: false,
  resolve: {
    alias: [
      { find: /^@hushlink\/protocol\/client$/, replacement: fromHere("../protocol/src/client.ts") },
    ],
  },
  build: {
    outDir: "dist/files-download",
    emptyOutDir: false,
    target: "es2022",
    sourcemap: false,
    lib: {
      entry: fromHere("./src/features/files/download-sw.ts"),
      formats: ["iife"],
      name: "hushlinkDownloadWorker",
      fileName: () => "sw.js",
    },
  },
});
