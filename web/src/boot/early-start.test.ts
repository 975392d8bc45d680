import { deriveLinkKeys, INFO, ID_BYTES, toBase64Url } from "@hushlink/protocol/client";
import { afterEach, describe, expect, it, vi } from "vitest";

import { LOCALES, negotiateLocale } from "../i18n/locales";
import { LOCALE_STORAGE_KEY } from "../i18n/locale-storage";
import { EARLY_HANDOFF, earlyStart, takeEarlyHandoff, type EarlyPlan } from "./early-start";

const plan: EarlyPlan = {
  routes: {
    "/": {
      files: ["/assets/share-page.js", "/assets/pages-common.js"],
      areas: ["common", "share"],
    },
    "/s": { files: ["/assets/view-page.js", "/assets/pages-common.js"], areas: ["common", "view"] },
  },
  catalogs: Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      { common: `/${locale}/common.js`, share: `/${locale}/share.js`, view: `/${locale}/view.js` },
    ]),
  ),
  sourceLocale: "en",
  storageKey: LOCALE_STORAGE_KEY,
  idInfo: INFO.id,
  idBytes: ID_BYTES,
  metadataPath: "/api/v1/shares/",
  handoff: EARLY_HANDOFF,
};

/**
 * The function as the build ships it: its source text alone (web/early-start-plugin.ts), so a
 * reference to anything outside it fails here.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const ship = new Function(`return (${earlyStart.toString()});`) as () => typeof earlyStart;
const shipped = ship();

/** Runs earlyStart in a stand-in page; returns what it preloaded and fetched. */
function run(url: string, languages: string[], kept: string | null = null) {
  const { pathname, hash } = new URL(url, "https://hush.example");
  const preloaded: string[] = [];
  const fetched: string[] = [];
  /** Both, in the order they were asked for. */
  const order: string[] = [];
  const win: Record<string, unknown> = {};
  vi.stubGlobal("window", win);
  vi.stubGlobal("location", { pathname, hash });
  vi.stubGlobal("navigator", { languages, language: languages[0] });
  vi.stubGlobal("localStorage", {
    getItem: (key: string) => (key === LOCALE_STORAGE_KEY ? kept : null),
  });
  vi.stubGlobal("document", {
    createElement: () => ({}),
    head: {
      appendChild: (link: { rel: string; href: string }) => {
        expect(link.rel).toBe("modulepreload");
        preloaded.push(link.href);
        order.push(link.href);
      },
    },
  });
  vi.stubGlobal(
    "fetch",
    vi.fn((path: string) => {
      fetched.push(path);
      order.push(path);
      return Promise.resolve(new Response("{}"));
    }),
  );
  shipped(plan);
  return { preloaded, fetched, order, win };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("earlyStart (issue 24: the share page's requests from the HTML's first wave)", () => {
  const secret = toBase64Url(new Uint8Array(32).map((_, i) => i * 7 + 1));

  it("asks for the metadata of the link's share by its derived id, never sending the secret", async () => {
    const { preloaded, fetched, win } = run(`/s#${secret}`, ["de-AT", "en"]);
    const { id } = await deriveLinkKeys(secret);
    const handoff = win[EARLY_HANDOFF] as { id: Promise<string>; response: Promise<Response> };
    expect(await handoff.id).toBe(id);
    await handoff.response;
    // Once the metadata is asked for (the next test).
    expect(preloaded).toEqual([
      "/assets/view-page.js",
      "/assets/pages-common.js",
      "/de/common.js",
      "/de/view.js",
    ]);
    expect(fetched).toEqual([`/api/v1/shares/${id}`]);
    expect(fetched.join()).not.toContain(secret);
  });

  it("asks for the metadata before the page's files", async () => {
    // HTTP/1.1 gives a page six connections to a host, and the HTML's own four files take four:
    // the metadata asked for after four preloads waited for a free one, a Slow 4G round trip
    // (0.56 s) later than the first free connection.
    const { order, win } = run(`/s#${secret}`, ["en"]);
    const handoff = win[EARLY_HANDOFF] as { response: Promise<Response> };
    await handoff.response;
    const { id } = await deriveLinkKeys(secret);
    expect(order).toEqual([
      `/api/v1/shares/${id}`,
      "/assets/view-page.js",
      "/assets/pages-common.js",
      "/en/common.js",
      "/en/view.js",
    ]);
  });

  it("hands its answer over once", async () => {
    run(`/s#${secret}`, ["en"]);
    const handoff = takeEarlyHandoff();
    expect(handoff).not.toBeNull();
    expect(takeEarlyHandoff()).toBeNull();
    // The metadata is asked for after the id's derivation: let it reach the stand-in fetch before
    // afterEach removes the stand-ins (else the real fetch gets a relative URL and rejects).
    await handoff?.response;
  });

  it("preloads the share form's code on / and asks for nothing", () => {
    const { preloaded, fetched } = run("/", ["fr-CA"]);
    expect(preloaded).toEqual([
      "/assets/share-page.js",
      "/assets/pages-common.js",
      "/fr/common.js",
      "/fr/share.js",
    ]);
    expect(fetched).toEqual([]);
  });

  it("starts nothing on other pages, and no request for a damaged link", () => {
    expect(run("/app/account", ["en"])).toMatchObject({ preloaded: [], fetched: [] });
    const damaged = run(`/s#${secret.slice(1)}`, ["en"]);
    expect(damaged.preloaded).toHaveLength(4);
    expect(damaged.fetched).toEqual([]);
    expect(damaged.win[EARLY_HANDOFF]).toBeUndefined();
  });

  it.each([
    [["de-AT"]],
    [["pt"]],
    [["pt-PT", "en"]],
    [["zh-TW", "ja"]],
    [["zh-CN"]],
    [["ZH-hans-SG"]],
    [["sv", "nb"]],
    [["sv", "nl-BE"]],
    [["ar-EG"]],
    [["en-GB", "de"]],
  ])("chooses the language the app chooses for %j", (languages) => {
    const { preloaded } = run("/s", languages);
    const locale = negotiateLocale(languages);
    expect(preloaded.slice(2)).toEqual([`/${locale}/common.js`, `/${locale}/view.js`]);
  });

  it("prefers the language chosen in the picker", () => {
    expect(run("/s", ["de"], "ja").preloaded.slice(2)).toEqual(["/ja/common.js", "/ja/view.js"]);
    expect(run("/s", ["de"], "xx").preloaded.slice(2)).toEqual(["/de/common.js", "/de/view.js"]);
  });
});
