/**
 * The share page on a slow phone: Chromium (/usr/bin/chromium, driven by playwright-core) opens
 * a one-view share link without a password, with and without DevTools throttling (4× CPU
 * slowdown and the "Slow 4G" network profile, set through the DevTools Protocol), and measures
 *
 * - navigation → the Reveal button in the page (ms since the navigation started:
 *   performance.now() in the page when a MutationObserver first sees the button), and
 * - click → the decrypted secret in the page (from the click event to the secret's text in the
 *   DOM, both taken in the page).
 *
 * Beside them, from the page's Resource Timing, when the HTML and the share's metadata were in:
 * the Reveal button waits for the metadata (it tells whether the share is there and whether it
 * wants a password), and the metadata request waits for a script (the share id is derived from
 * the link's fragment, which only a script can read, and the CSP allows no inline script), so
 * three requests stand one after another before it: the HTML, the early script, the metadata.
 * And what the button waits for besides: when the app chunk (React and the layout, the largest
 * file of the first load) was in, and React's first render (anything in `#root`, the "Opening
 * the secret link…" state when the metadata is not yet taken), which no page of this app can
 * show anything before.
 *
 * Each figure is the median of `runs` loads, each in a fresh browser context (empty cache, as a
 * recipient opening a link for the first time).
 */
import { SealedPool } from "./bodies.mjs";
import { median } from "./load.mjs";
import { request } from "./proc.mjs";

/**
 * DevTools' "Slow 4G" preset (Chrome's network throttling presets): 150 ms round trip and
 * 1.6 Mbit/s down, 750 kbit/s up, with the factors DevTools applies to approximate a real link
 * (latency × 3.75, throughput × 0.9). Latency is added to every request.
 */
export const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};
export const CPU_SLOWDOWN = 4;

/**
 * Runs in the page before its own scripts: stamps the moments we measure.
 * @param {string} secret
 */
function pageProbe(secret) {
  /** @type {Record<"firstRender" | "revealShown" | "clicked" | "secretShown", number | null>} */
  const marks = { firstRender: null, revealShown: null, clicked: null, secretShown: null };
  /** @type {any} */ (window).__marks = marks;
  const look = () => {
    if (marks.firstRender === null && document.getElementById("root")?.firstChild) {
      marks.firstRender = performance.now();
    }
    if (marks.revealShown === null) {
      for (const button of document.querySelectorAll("button")) {
        if (button.textContent?.trim() === "Reveal secret") {
          marks.revealShown = performance.now();
          break;
        }
      }
    }
    if (marks.clicked !== null && marks.secretShown === null) {
      if (document.body?.textContent?.includes(secret)) marks.secretShown = performance.now();
    }
  };
  new MutationObserver(look).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
  });
  document.addEventListener(
    "click",
    () => {
      if (marks.clicked === null) marks.clicked = performance.now();
    },
    true,
  );
}

/**
 * @param {{port: number, runs: number, log: (m: string) => void}} options
 * @typedef {{revealShownMs: number, revealedMs: number, htmlInMs: number, metadataInMs: number, appChunkInMs: number, firstRenderMs: number}} PageSample
 * @returns {Promise<Record<"unthrottled" | "throttled", PageSample & {runs: PageSample[]}>>}
 */
export async function measurePage({ port, runs, log }) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  try {
    /** @type {any} */
    const out = {};
    for (const throttled of [false, true]) {
      const name = throttled ? "throttled" : "unthrottled";
      const samples = [];
      // One load first, not counted: the server's and Chromium's first-use costs.
      for (let i = 0; i <= runs; i++) {
        const sample = await oneLoad({ browser, port, throttled });
        if (i > 0) samples.push(sample);
      }
      out[name] = {
        revealShownMs: median(samples.map((s) => s.revealShownMs)),
        revealedMs: median(samples.map((s) => s.revealedMs)),
        htmlInMs: median(samples.map((s) => s.htmlInMs)),
        metadataInMs: median(samples.map((s) => s.metadataInMs)),
        appChunkInMs: median(samples.map((s) => s.appChunkInMs)),
        firstRenderMs: median(samples.map((s) => s.firstRenderMs)),
        runs: samples,
      };
      log(
        `page ${name}: Reveal shown ${Math.round(out[name].revealShownMs)} ms after navigation, ` +
          `secret shown ${Math.round(out[name].revealedMs)} ms after the click (median of ${runs}); ` +
          `HTML in at ${Math.round(out[name].htmlInMs)} ms, metadata in at ${Math.round(out[name].metadataInMs)} ms, ` +
          `app chunk in at ${Math.round(out[name].appChunkInMs)} ms, first render at ${Math.round(out[name].firstRenderMs)} ms`,
      );
    }
    return out;
  } finally {
    await browser.close();
  }
}

/**
 * @param {{browser: import("playwright-core").Browser, port: number, throttled: boolean}} load
 * @returns {Promise<PageSample>}
 */
async function oneLoad({ browser, port, throttled }) {
  // A fresh one-view share without a password, made as the web app makes it.
  const pool = new SealedPool({ maxViews: 1 });
  const { item, linkSecret, secret } = await pool.sealOne();
  const res = await request({
    port,
    method: "POST",
    path: "/api/v1/shares",
    body: JSON.parse(item.json),
  });
  if (res.status !== 201) throw new Error(`creating the page's share answered ${res.status}`);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(pageProbe, secret);
    const cdp = await context.newCDPSession(page);
    if (throttled) {
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
    }
    await page.goto(`http://127.0.0.1:${port}/s#${linkSecret}`, { waitUntil: "commit" });
    const button = page.getByRole("button", { name: "Reveal secret" });
    await button.waitFor({ state: "visible", timeout: 30_000 });
    await button.click();
    await page.waitForFunction(() => /** @type {any} */ (window).__marks.secretShown !== null, {
      timeout: 30_000,
    });
    const marks = await page.evaluate(() => /** @type {any} */ (window).__marks);
    // responseEnd is on the same clock as the marks (ms since the navigation started).
    const timing = await page.evaluate(() => {
      const html = /** @type {PerformanceNavigationTiming} */ (
        performance.getEntriesByType("navigation")[0]
      );
      const resources = /** @type {PerformanceResourceTiming[]} */ (
        performance.getEntriesByType("resource")
      );
      const inAt = (/** @type {RegExp} */ path) =>
        resources.find((e) => path.test(new URL(e.name).pathname))?.responseEnd ?? Number.NaN;
      return {
        htmlIn: html.responseEnd,
        metadataIn: inAt(/\/api\/v1\/shares\/[^/]+$/),
        // web/page-chunks.ts names it "app"; the build adds the hash.
        appChunkIn: inAt(/^\/assets\/app-[^/]+\.js$/),
      };
    });
    return {
      revealShownMs: marks.revealShown,
      revealedMs: marks.secretShown - marks.clicked,
      htmlInMs: timing.htmlIn,
      metadataInMs: timing.metadataIn,
      appChunkInMs: timing.appChunkIn,
      firstRenderMs: marks.firstRender,
    };
  } finally {
    await context.close();
  }
}
