/**
 * The page's first requests, started by a tiny script inline in the HTML's head, which runs as
 * soon as the HTML is parsed (issue 24). On a slow link every round trip counts (Slow 4G: 562.5 ms each); without this,
 * the share page's chunk, its two message catalogs and the share's metadata were asked for only
 * once the 87 KB app chunk had arrived and run. This script runs while the app chunk is still on
 * its way, and asks for them at once:
 *
 * - `<link rel="modulepreload">` for the route's page chunk and its catalogs in the reader's
 *   language (the app imports the same files later and finds them loaded);
 * - on `/s`, the share's metadata: the id is derived from the link's fragment with WebCrypto's
 *   HKDF, as protocol/src/crypto.ts `deriveLinkKeys` does, and only the id is sent. The answer's
 *   promise is left at `window[plan.handoff]` for features/shares/early-metadata.ts, which uses it
 *   only when its own derivation gives the same id.
 *
 * `earlyStart` is put into the HTML by web/early-start-plugin.ts from its source text
 * (`earlyStart.toString()`), so it must stay self-contained: no imports, no outer names.
 * Any failure leaves the app to do it all itself, as before.
 */

/** What the build tells the script (early-start-plugin.ts). */
export interface EarlyPlan {
  /** Per page path ("/", "/s"): its chunks and its catalogs' areas. */
  routes: Record<string, { files: string[]; areas: string[] }>;
  /** Locale → area → the catalog's file. */
  catalogs: Record<string, Record<string, string>>;
  /** The source locale, served when the browser asks for none of ours. */
  sourceLocale: string;
  /** Where i18n.ts keeps a language chosen in the picker. */
  storageKey: string;
  /** protocol INFO.id and ID_BYTES. */
  idInfo: string;
  idBytes: number;
  /** The share metadata path's prefix (the id follows). */
  metadataPath: string;
  /** The global the metadata's answer is left under (EARLY_HANDOFF). */
  handoff: string;
}

/** What `earlyStart` leaves for the app on `/s`: the id it derived and the answer's promise. */
export interface EarlyHandoff {
  id: Promise<string>;
  response: Promise<Response>;
}

export const EARLY_HANDOFF = "__hushlinkEarly";

export function earlyStart(plan: EarlyPlan): void {
  try {
    const path = location.pathname.replace(/\/+$/, "") || "/";
    const route = plan.routes[path];
    if (!route) return;

    // The reader's language, as i18n.ts startLocale and locales.ts matchLocale choose it.
    const locales = Object.keys(plan.catalogs);
    const match = (tag: string): string | null => {
      const lower = tag.trim().toLowerCase();
      const exact = locales.find((l) => l.toLowerCase() === lower);
      if (exact) return exact;
      const [language, ...rest] = lower.split(/[-_]/);
      if (language === "zh") {
        const traditional = rest.some((part) => ["hant", "tw", "hk", "mo"].includes(part));
        return traditional ? null : (locales.find((l) => l === "zh-Hans") ?? null);
      }
      return locales.find((l) => l.toLowerCase().split("-")[0] === language) ?? null;
    };
    let locale: string | null = null;
    try {
      const kept = localStorage.getItem(plan.storageKey);
      if (kept && locales.includes(kept)) locale = kept;
    } catch {
      // Storage may be off: the browser's languages decide.
    }
    for (const tag of locale ? [] : (navigator.languages ?? [navigator.language])) {
      locale = match(tag);
      if (locale) break;
    }
    const catalogs = plan.catalogs[locale ?? plan.sourceLocale] ?? {};
    const files = route.files.concat(route.areas.map((area) => catalogs[area] ?? ""));
    let preloaded = false;
    const preload = () => {
      if (preloaded) return;
      preloaded = true;
      for (const file of files) {
        if (!file) continue;
        const link = document.createElement("link");
        link.rel = "modulepreload";
        link.href = file;
        link.crossOrigin = "";
        document.head.appendChild(link);
      }
    };

    const secret = location.hash.slice(1);
    // The link's secret is 32 bytes of base64url; when it is not, the page says what is wrong.
    if (path !== "/s" || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return preload();
    try {
      const binary = atob(secret.replace(/-/g, "+").replace(/_/g, "/"));
      const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
      const subtle = crypto.subtle;
      const id = subtle
        .importKey("raw", bytes, "HKDF", false, ["deriveBits"])
        .then((key) =>
          subtle.deriveBits(
            {
              name: "HKDF",
              hash: "SHA-256",
              salt: new Uint8Array(0),
              info: new TextEncoder().encode(plan.idInfo),
            },
            key,
            plan.idBytes * 8,
          ),
        )
        .then((bits) =>
          btoa(String.fromCharCode(...new Uint8Array(bits)))
            .replace(/\+/g, "-")
            .replace(/\//g, "_")
            .replace(/=+$/, ""),
        );
      // As lib/api.ts asks: JSON, no cache, the session's cookie (org-only shares), no referrer.
      // The metadata first, the page's files after it: HTTP/1.1 gives a page six connections to
      // a host and the HTML's own files take four, so the metadata asked for after the four
      // preloads waited for a free connection (on Slow 4G, 0.56 s a request; issue 24).
      const response = id.then((shareId) => {
        try {
          return fetch(plan.metadataPath + encodeURIComponent(shareId), {
            headers: { Accept: "application/json" },
            cache: "no-store",
            credentials: "same-origin",
            referrerPolicy: "no-referrer",
          });
        } finally {
          preload();
        }
      });
      id.catch(preload);
      // The app handles failures when it takes the answer; until then they are no "unhandled rejection".
      response.catch(() => undefined);
      const handoff: EarlyHandoff = { id, response };
      (window as unknown as Record<string, EarlyHandoff>)[plan.handoff] = handoff;
    } catch {
      preload(); // No WebCrypto (a page served over plain HTTP): the app asks for the metadata.
    }
  } catch {
    // The app starts whatever this did not.
  }
}

/** Takes (once) what earlyStart left for the app, if it ran. */
export function takeEarlyHandoff(): EarlyHandoff | null {
  const slot = window as unknown as Record<string, EarlyHandoff | undefined>;
  const handoff = slot[EARLY_HANDOFF] ?? null;
  delete slot[EARLY_HANDOFF];
  return handoff;
}
