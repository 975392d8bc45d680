/**
 * Saving a file as a stream (issue 17): the viewer's download goes through the download service
 * worker (scope /files-download/ only, nothing cached), arrives whole (same SHA-256 as the
 * original, across a chunk boundary), is saved as an attachment and never shown in a tab; where
 * service workers are blocked the page falls back to a Blob and saves the same bytes.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { BrowserContext, Page } from "@playwright/test";

import { expect, test } from "../fixtures/test.js";

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
  await page.locator('input[type="file"]').setInputFiles([big, html]);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  return page.getByLabel("Share link", { exact: true }).inputValue();
}

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
