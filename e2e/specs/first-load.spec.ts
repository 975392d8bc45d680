/**
 * Issue 24: what a share link's first load fetches. The recipient's phone gets the share page's
 * code and not the share form's or the manage page's, and the metadata request does not wait
 * for the page's chunk and its first render (main.tsx starts it while the entry runs).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import type { Page } from "@playwright/test";

import { expect, test } from "../fixtures/test.js";
import { REPO_ROOT } from "../fixtures/paths.js";
import { buildShare } from "../fixtures/shares.js";

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
}

const manifest = (): Record<string, ManifestChunk> =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, "web/dist/.vite/manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >;

/** The built file of the chunk web/page-chunks.ts names `name`, or of the module `key`. */
function chunkFile(chunks: Record<string, ManifestChunk>, name: string): string {
  const chunk = chunks[name] ?? Object.values(chunks).find((c) => !c.isEntry && c.name === name);
  if (!chunk) throw new Error(`no chunk "${name}" in web/dist's manifest: build first`);
  return `/${chunk.file}`;
}

/**
 * Holds the response of `file` until `signal` settles (or 5 s passed); `done` then says whether
 * the signal came first, i.e. whether what it waits for happened before the file arrived.
 */
async function holdUntil(page: Page, file: string, signal: Promise<void>) {
  const held = { done: false };
  await page.route(`**${file}`, async (route) => {
    held.done = await Promise.race([
      signal.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    await route.continue();
  });
  return held;
}

test("a share link loads the share page's code only, and asks for the metadata before it arrives", async ({
  page,
  server,
}) => {
  const share = await buildShare(server);
  const chunks = manifest();
  const viewChunk = chunkFile(chunks, "view-page");
  const notForRecipients = [
    chunkFile(chunks, "share-page"),
    chunkFile(chunks, "src/pages/ManagePage/ManagePage.tsx"),
  ];

  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  let metadataAsked: () => void = () => undefined;
  const metadata = new Promise<void>((resolve) => (metadataAsked = resolve));
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === `/api/v1/shares/${share.id}`) metadataAsked();
  });
  // The share page's chunk is held until the metadata request is made (or 5 s passed): a page
  // that asks only once it rendered would wait here the whole 5 s.
  const heldForMetadata = await holdUntil(page, viewChunk, metadata);

  await page.goto(share.link);
  await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  expect(heldForMetadata.done, "the metadata request started before the page's chunk arrived").toBe(
    true,
  );
  expect(scripts).toContain(viewChunk);
  for (const file of notForRecipients) expect(scripts).not.toContain(file);

  // The early answer is the page's answer: revealing works as ever.
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("secret-text")).toHaveText(share.text);
});

test("the HTML's early script asks for the page's code, its catalogs and the metadata before the app chunk arrives", async ({
  page,
  server,
}) => {
  // Issue 24: on Slow 4G each wave of requests is a 0.56 s round trip; these no longer wait for
  // the 87 KB app chunk to arrive and run (web/src/boot/early-start.ts).
  const share = await buildShare(server);
  const chunks = manifest();
  const appChunk = chunkFile(chunks, "app");
  const early = new Set([
    chunkFile(chunks, "view-page"),
    chunkFile(chunks, "virtual:lingui-catalog/en/common"),
    chunkFile(chunks, "virtual:lingui-catalog/en/view"),
    `/api/v1/shares/${share.id}`,
  ]);
  const seen = new Set<string>();
  const metadataUrls: string[] = [];
  let allAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (allAsked = resolve));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/v1/shares/")) metadataUrls.push(request.url());
    if (early.has(url.pathname)) seen.add(url.pathname);
    if (seen.size === early.size) allAsked();
  });
  // The app chunk is held until all four were asked for (or 5 s passed).
  const heldForEarly = await holdUntil(page, appChunk, asked);

  await page.goto(share.link);
  await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  expect(
    [...early].filter((file) => !seen.has(file)),
    "asked for before the app chunk",
  ).toEqual([]);
  expect(heldForEarly.done).toBe(true);
  // One metadata request (the app takes the early answer), and no link secret in any URL.
  expect(metadataUrls).toHaveLength(1);
  const secret = new URL(share.link).hash.slice(1);
  for (const url of metadataUrls) expect(url).not.toContain(secret);

  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("secret-text")).toHaveText(share.text);
});

test("the share form does not load the share page's code", async ({ page }) => {
  const chunks = manifest();
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  await page.goto("/");
  await expect(page.getByLabel("Secret", { exact: true })).toBeVisible();
  expect(scripts).toContain(chunkFile(chunks, "share-page"));
  expect(scripts).not.toContain(chunkFile(chunks, "view-page"));
});

/** The built files of every catalog area of `locale`, by area. */
function catalogFiles(chunks: Record<string, ManifestChunk>, locale: string): Map<string, string> {
  const prefix = `virtual:lingui-catalog/${locale}/`;
  return new Map(
    Object.entries(chunks)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, chunk]) => [`/${chunk.file}`, key.slice(prefix.length)]),
  );
}

for (const { page: name, path: pagePath, areas } of [
  { page: "share link", path: "share", areas: ["common", "view"] },
  { page: "share form", path: "/", areas: ["common", "share"] },
]) {
  test(`an anonymous first load of the ${name} asks for its own catalogs only`, async ({
    page,
    server,
  }) => {
    // A message the page did not load (the header's "Account" label was in the account area)
    // made every first load ask for all ten areas and render again (i18n.ts, "missing").
    const files = catalogFiles(manifest(), "en");
    const asked = new Set<string>();
    page.on("request", (request) => {
      const area = files.get(new URL(request.url()).pathname);
      if (area) asked.add(area);
    });
    if (pagePath === "share") {
      await page.goto((await buildShare(server)).link);
      await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
    } else {
      await page.goto(pagePath);
      await expect(page.getByLabel("Secret", { exact: true })).toBeVisible();
    }
    await expect(page.getByRole("navigation", { name: "Account" })).toBeVisible();
    // Every request the first render led to has been made once the network is quiet.
    await page.waitForLoadState("networkidle");
    expect([...asked].sort()).toEqual([...areas].sort());
  });
}
