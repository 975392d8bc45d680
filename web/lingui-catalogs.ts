/**
 * The build's side of the translations (issue 22), shared by vite.config.ts and the root
 * vitest.config.ts:
 * - the Lingui macros (`@lingui/react/macro`, `@lingui/core/macro`) are compiled by Babel, on
 *   web/src files only (Lingui 5's plugin for Vite 8's own transform needs Node 22);
 * - `virtual:lingui-catalog/<locale>/<area>` is the compiled catalog of one area of a locale
 *   (src/locales/<locale>/<area>.po), and `virtual:lingui-catalog/<locale>` all its areas merged
 *   (what `catalogsMergePath` gives `lingui compile`), without generated files to commit or to
 *   forget. A message missing in any catalog fails the build, so an untranslated page cannot
 *   ship.
 */
import { getConfig } from "@lingui/conf";
import { createCompiledCatalog, getCatalogs } from "@lingui/cli/api";
import babel from "vite-plugin-babel";
import type { Plugin } from "vite";

const PREFIX = "virtual:lingui-catalog/";
const RESOLVED = `\0${PREFIX}`;
/** The table of loaders: `catalogs[locale][area]()` imports that catalog (one chunk each). */
const TABLE = "virtual:lingui-catalogs";

export function linguiPlugins(configPath: string, webSrc: RegExp): Plugin[] {
  const config = getConfig({ configPath });
  const sourceLocale = config.sourceLocale ?? "en";
  const catalogs: Plugin = {
    name: "hushlink-lingui-catalogs",
    resolveId(id) {
      return id.startsWith(PREFIX) || id === TABLE ? `\0${id}` : undefined;
    },
    async load(id) {
      if (id === `\0${TABLE}`) {
        const names = (await getCatalogs(config)).map((catalog) => catalog.name ?? "");
        const table = config.locales.map((locale) => {
          const loaders = names.map(
            (name) => `${JSON.stringify(name)}: () => import("${PREFIX}${locale}/${name}")`,
          );
          return `${JSON.stringify(locale)}: {${loaders.join(", ")}}`;
        });
        return { code: `export default {${table.join(",\n")}};\n`, map: null, moduleType: "js" };
      }
      if (!id.startsWith(RESOLVED)) return undefined;
      const [locale = "", area] = id.slice(RESOLVED.length).split("/");
      if (!config.locales.includes(locale)) throw new Error(`lingui: no locale "${locale}"`);
      const all = await getCatalogs(config);
      const catalogs = area ? all.filter((catalog) => catalog.name === area) : all;
      if (catalogs.length === 0) throw new Error(`lingui: no catalog "${area ?? ""}"`);
      const merged: Record<string, string> = {};
      const missing: string[] = [];
      for (const catalog of catalogs) {
        for (const file of [catalog.getFilename(locale), catalog.getFilename(sourceLocale)])
          this.addWatchFile(file);
        const result = await catalog.getTranslations(locale, {
          sourceLocale,
          // A missing translation is reported below, never quietly filled from another language.
          fallbackLocales: {},
        });
        Object.assign(merged, result.messages);
        missing.push(...result.missing.map((m) => `${catalog.name ?? "?"}: ${m.source ?? m.id}`));
      }
      if (missing.length > 0) {
        throw new Error(
          `lingui: ${missing.length} message(s) untranslated in "${locale}" ` +
            `(see docs/i18n/README.md):\n  ${missing.slice(0, 20).join("\n  ")}`,
        );
      }
      const { source, errors } = createCompiledCatalog(locale, merged, { namespace: "es" });
      if (errors.length > 0) {
        const list = errors.map((e) => `${e.source}: ${e.error.message}`).join("\n  ");
        throw new Error(`lingui: messages of "${locale}" do not compile:\n  ${list}`);
      }
      return { code: source, map: null, moduleType: "js" };
    },
  };
  const macros = babel({
    include: webSrc,
    exclude: /node_modules/,
    babelConfig: {
      babelrc: false,
      configFile: false,
      parserOpts: { plugins: ["typescript", "jsx"] },
      plugins: [["@lingui/babel-plugin-lingui-macro", { linguiConfig: config }]],
    },
  });
  // Babel is slow next to Vite's own transform: only files that use a macro go through it.
  const transform = macros.transform;
  if (typeof transform === "function") {
    macros.transform = function (code, id, options) {
      if (!code.includes("@lingui/")) return undefined;
      return transform.call(this, code, id, options);
    };
  }
  return [macros, catalogs];
}
