/**
 * Builds src/boot/early-start.ts into a file of its own, `assets/early-<hash>.js`, with the
 * build's file names in it, and adds it to the HTML as an `async` classic script beside the
 * entry (issue 24): a few hundred bytes that run while the app chunk is still arriving and ask
 * for the route's page chunk, its catalogs and (on `/s`) the share's metadata at once. An
 * external file, not an inline script, so the CSP stays `script-src 'self'` (SPEC §3).
 */
import type { Plugin } from "vite";

import { INFO, ID_BYTES } from "../protocol/src/constants.ts";
import { DEFAULT_LOCALE } from "../protocol/src/locales.ts";
import { EARLY_HANDOFF, earlyStart, type EarlyPlan } from "./src/boot/early-start.ts";
import { LOCALE_STORAGE_KEY } from "./src/i18n/locale-storage.ts";
import { areasFor } from "./src/i18n/page-areas.ts";

/** Each budgeted page's path, its chunk (page-chunks.ts) and its Route page. */
const ROUTES = [
  { path: "/", chunk: "share-page", page: "share" },
  { path: "/s", chunk: "view-page", page: "view" },
] as const;
const CATALOG = /virtual:lingui-catalog\/([^/]+)\/([^/]+)$/;

interface Chunk {
  type: "chunk";
  name: string;
  fileName: string;
  isEntry: boolean;
  imports: string[];
  facadeModuleId: string | null;
}
type Output = Chunk | { type: "asset"; fileName: string; source: string | Uint8Array };

export function earlyStartPlugin(): Plugin {
  return {
    name: "hushlink-early-start",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const files = Object.values(bundle as Record<string, Output>);
      const chunks = files.filter((f): f is Chunk => f.type === "chunk");
      const html = files.find((f) => f.type === "asset" && f.fileName === "index.html");
      const entry = chunks.find((c) => c.isEntry && c.facadeModuleId?.endsWith("/index.html"));
      if (!html || html.type !== "asset" || !entry) {
        this.error("early-start: no index.html or no entry in the bundle");
      }
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      /** A chunk and its static imports, but for those in `known`. */
      const closure = (file: string, known = new Set<string>(), seen = new Set<string>()) => {
        if (seen.has(file) || known.has(file)) return seen;
        seen.add(file);
        for (const next of byFile.get(file)?.imports ?? []) closure(next, known, seen);
        return seen;
      };
      // What the HTML already loads (the entry and its static imports) is not asked for twice.
      const inHtml = closure(entry.fileName);

      const routes: EarlyPlan["routes"] = {};
      for (const route of ROUTES) {
        const chunk = chunks.find((c) => !c.isEntry && c.name === route.chunk);
        if (!chunk) this.error(`early-start: no "${route.chunk}" chunk (page-chunks.ts)`);
        routes[route.path] = {
          files: [...closure(chunk.fileName, inHtml)].map((file) => `/${file}`),
          areas: [...areasFor(route.page)],
        };
      }
      // Every language's catalogs of the areas these pages show (the script picks one language).
      const areas = new Set(Object.values(routes).flatMap((route) => route.areas));
      const catalogs: EarlyPlan["catalogs"] = {};
      for (const chunk of chunks) {
        const [, locale, area] = CATALOG.exec(chunk.facadeModuleId ?? "") ?? [];
        if (!locale || !area || !areas.has(area)) continue;
        (catalogs[locale] ??= {})[area] = `/${chunk.fileName}`;
      }
      if (!catalogs[DEFAULT_LOCALE]) this.error("early-start: no catalogs in the bundle");

      const plan: EarlyPlan = {
        routes,
        catalogs,
        sourceLocale: DEFAULT_LOCALE,
        storageKey: LOCALE_STORAGE_KEY,
        idInfo: INFO.id,
        idBytes: ID_BYTES,
        metadataPath: "/api/v1/shares/",
        handoff: EARLY_HANDOFF,
      };
      const source = `(${earlyStart.toString()})(${JSON.stringify(plan)});\n`;
      // Named like every asset, assets/early-<content hash>.js, so it is cached for a year.
      const fileName = this.getFileName(this.emitFile({ type: "asset", name: "early.js", source }));
      const page = String(html.source);
      const tag = `<script async src="/${fileName}"></script>\n    `;
      const at = page.indexOf('<script type="module"');
      if (at < 0) this.error("early-start: no module script in index.html");
      html.source = page.slice(0, at) + tag + page.slice(at);
    },
  };
}
