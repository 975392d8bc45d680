/**
 * Saving a file as a stream (issue 17): the viewer's download goes through the download service
 * worker (scope /files-download/ only, nothing cached), arrives whole (same SHA-256 as the
 * original, across a chunk boundary), is saved as an attachment and never shown in a tab; where
 * service workers are blocked the page falls back to a Blob and saves the same bytes.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { BrowserContext, Page } from "@playwright/test";

import { tamperChunk } from "../fixtures/database.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const big = { name: "backup 1.tar", mimeType: "application/x-tar", buffer: randomBytes(MiB + 1) };
// Served as a page, this would run script; it must only ever reach the downloads.
const html = {
  name: ".evil.html",
  mimeType: "text/html",
  buffer: Buffer.from("<script>top.document.title='pwned'</script><h1>rendered</h1>"),
};

async function share(page: Page): Promise<string> {
  await page.goto("/");
  page.on("request", (request) => {
    const id = /\/api\/v1\/shares\/([^/]+)\/blobs\//.exec(request.url())?.[1];
    if (id) shareIds.set(page, id);
  });
  await page.locator('input[type="file"]').setInputFiles([big, html]);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  return page.getByLabel("Share link", { exact: true }).inputValue();
}

/** The id of the share each page uploaded files to, from its chunk uploads. */
const shareIds = new WeakMap<Page, string>();

async function reveal(context: BrowserContext, link: string): Promise<Page> {
  const viewer = await context.newPage();
  await viewer.goto(link);
  await viewer.getByRole("button", { name: "Reveal secret" }).click();
  await expect(viewer.getByTestId("revealed-file")).toHaveCount(2);
  return viewer;
}

async function save(viewer: Page, name: string) {
  const row = viewer.getByTestId("revealed-file").filter({ hasText: name });
  const saved = viewer.waitForEvent("download");
  await row.getByRole("button", { name: /^Download/ }).click();
  const download = await saved;
  const bytes = readFileSync(await download.path());
  await expect(row.getByRole("status")).toHaveText("Decrypted and saved to your downloads.");
  return { download, bytes };
}

test("a download streams through the service worker, whole, and is never shown", async ({
  page,
  newVisitor,
}) => {
  const link = await share(page);
  const viewer = await reveal(await newVisitor({ acceptDownloads: true }), link);
  const at = viewer.url();

  const tar = await save(viewer, "backup 1.tar");
  expect(tar.download.url()).toMatch(/\/files-download\/[0-9a-f]{32}$/);
  expect(tar.download.suggestedFilename()).toBe("backup 1.tar");
  expect(sha256(tar.bytes)).toBe(sha256(big.buffer));

  const page2 = await save(viewer, "evil.html");
  expect(page2.download.url()).toMatch(/\/files-download\/[0-9a-f]{32}$/);
  expect(page2.download.suggestedFilename()).toBe("evil.html");
  expect(sha256(page2.bytes)).toBe(sha256(html.buffer));

  // Not rendered: no new tab, this page where it was, its title untouched, no frame showing it.
  expect(viewer.context().pages()).toHaveLength(1);
  expect(viewer.url()).toBe(at);
  expect(await viewer.title()).not.toBe("pwned");
  for (const frame of viewer.frames()) {
    expect(await frame.locator("h1", { hasText: "rendered" }).count()).toBe(0);
  }
  // Scoped narrowly: the worker controls no page of the app, and it cached nothing.
  const facts = await viewer.evaluate(async () => ({
    scopes: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
    controlled: navigator.serviceWorker.controller !== null,
    caches: await caches.keys(),
  }));
  expect(facts.scopes).toEqual([new URL("/files-download/", at).href]);
  expect(facts.controlled).toBe(false);
  expect(facts.caches).toEqual([]);
});

test("without service workers the page saves the same bytes through a Blob", async ({
  page,
  newVisitor,
}) => {
  const link = await share(page);
  const viewer = await reveal(
    await newVisitor({ acceptDownloads: true, serviceWorkers: "block" }),
    link,
  );
  const tar = await save(viewer, "backup 1.tar");
  expect(tar.download.url()).toMatch(/^blob:/);
  expect(tar.download.suggestedFilename()).toBe("backup 1.tar");
  expect(sha256(tar.bytes)).toBe(sha256(big.buffer));
  expect(viewer.context().pages()).toHaveLength(1);
});

test("the service worker fetches and decrypts: the page never decrypts a chunk", async ({
  page,
  newVisitor,
}) => {
  const link = await share(page);
  const context = await newVisitor({ acceptDownloads: true });
  // Counts the page's own WebCrypto decryptions (service workers do not run init scripts).
  await context.addInitScript(() => {
    const subtle = crypto.subtle;
    const decrypt = subtle.decrypt.bind(subtle);
    const counted = window as unknown as { decrypted: number };
    counted.decrypted = 0;
    subtle.decrypt = (...args: Parameters<SubtleCrypto["decrypt"]>) => {
      counted.decrypted += 1;
      return decrypt(...args);
    };
  });
  const viewer = await reveal(context, link);
  const decrypted = () =>
    viewer.evaluate(() => (window as unknown as { decrypted: number }).decrypted);
  // The reveal itself decrypts the text in the page; the files' chunks are the worker's.
  const before = await decrypted();
  const tar = await save(viewer, "backup 1.tar");
  expect(sha256(tar.bytes)).toBe(sha256(big.buffer));
  expect(await decrypted()).toBe(before);
});

test("a tampered chunk: a clear error, and the browser's download fails, not complete", async ({
  page,
  newVisitor,
  server,
}) => {
  const link = await share(page);
  // The second chunk of "backup 1.tar" (1 MiB + 1 byte); the HTML file has one chunk only.
  tamperChunk(server, shareIds.get(page)!, 1);
  const viewer = await reveal(await newVisitor({ acceptDownloads: true }), link);
  const row = viewer.getByTestId("revealed-file").filter({ hasText: "backup 1.tar" });
  const saved = viewer.waitForEvent("download");
  await row.getByRole("button", { name: /^Download/ }).click();
  await expect(row.getByRole("alert")).toHaveText(/could not be decrypted: part 2 is damaged/);
  expect(await (await saved).failure()).not.toBeNull();
  await expect(row.getByRole("status")).toHaveCount(0);
  await checkBothWidths(viewer, "files-download-tampered");
});
