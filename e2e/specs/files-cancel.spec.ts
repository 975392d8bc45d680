/**
 * Cancelling a download (issue 17: "upload and download can be cancelled"). A local download is
 * over before a click lands, so the viewer's browser reaches the server through a throttling hop
 * (fixtures/throttle.ts) that paces file downloads. Cancel must really stop the transfer: the
 * browser hangs up on the server half way, nothing partial is saved, and the row is back where
 * Download works again and saves the whole file. Three ways to stop: the page's Cancel with the
 * download service worker, the same without service workers (the Blob fallback), and cancelling
 * in the browser's downloads, which is where the service worker's download lives.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { BrowserContext, Download, Locator, Page } from "@playwright/test";

import { expect, test } from "../fixtures/test.js";
import { startThrottle, type BlobAnswer, type Throttle } from "../fixtures/throttle.js";
import { checkBothWidths } from "../fixtures/widths.js";

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const file = { name: "dump.sql", mimeType: "application/sql", buffer: randomBytes(12 * MiB) };
/**
 * The first 4 MiB (the first four chunks, CRYPTO_PARALLEL, after which the first progress shows)
 * arrive at full speed; the other 8 MiB at this rate take about 8 s: time to see progress and
 * cancel, and to see it stop. Pacing from the first byte made each test wait about 4 s more for
 * its first progress, and proved nothing more.
 */
const SLOW = MiB;
const FULL_SPEED = 4 * MiB;
/** Some of the file shown as arrived, not all of it. */
const PART_WAY = /^[1-9][\d.]* MB of 12 MB/;

let throttle: Throttle;
test.beforeAll(async ({ server }) => {
  throttle = await startThrottle(server.url, SLOW, FULL_SPEED);
});
test.afterAll(async () => {
  await throttle.close();
});

/** Shares `file` from `page` (straight to the server) and gives the link through the hop. */
async function share(page: Page): Promise<string> {
  await page.goto("/");
  await page.locator('input[type="file"]').setInputFiles(file);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  const link = new URL(await page.getByLabel("Share link", { exact: true }).inputValue());
  return `${throttle.url}${link.pathname}${link.search}${link.hash}`;
}

async function reveal(context: BrowserContext, link: string): Promise<Page> {
  const viewer = await context.newPage();
  await viewer.goto(link);
  await viewer.getByRole("button", { name: "Reveal secret" }).click();
  await expect(viewer.getByTestId("revealed-file")).toHaveCount(1);
  return viewer;
}

/** The answer to the download started last, once it has begun. */
async function lastAnswer(before: number): Promise<BlobAnswer> {
  await expect.poll(() => throttle.answers.length).toBeGreaterThan(before);
  return throttle.answers.at(-1)!;
}

/**
 * Clicks the revealed file's Download and waits until part of it has arrived: the row, and the
 * server's answer to this download (the throttle's record of what it sent).
 */
async function startDownload(viewer: Page): Promise<{ row: Locator; answer: BlobAnswer }> {
  const row = viewer.getByTestId("revealed-file");
  const answers = throttle.answers.length;
  await row.getByRole("button", { name: /^Download/ }).click();
  await expect(row.getByTestId("transfer-numbers")).toContainText(PART_WAY, {
    timeout: 20_000,
  });
  return { row, answer: await lastAnswer(answers) };
}

/**
 * startDownload with the download service worker: also the browser's download, which the worker
 * hands over at once and fills as chunks decrypt.
 */
async function startWorkerDownload(viewer: Page) {
  const started = viewer.waitForEvent("download");
  const begun = await startDownload(viewer);
  return { ...begun, download: await started };
}

/** The row is back as it was after Cancel: no progress, no error, nothing said to be saved. */
async function expectRowReset(row: Locator): Promise<void> {
  await expect(row.getByRole("button", { name: "Download dump.sql" })).toBeVisible();
  await expect(row.getByTestId("transfer")).toHaveCount(0);
  await expect(row.getByRole("alert")).toHaveCount(0);
  await expect(row.getByRole("status")).toHaveCount(0);
}

/**
 * The browser hung up before the file's end, and nothing more is sent: the hop stopped writing
 * and closed its connection to the server (a state, not a second of watching nothing happen).
 */
async function expectCut(answer: BlobAnswer): Promise<void> {
  await expect.poll(() => answer.cut).toBe(true);
  await expect.poll(() => answer.stopped).toBe(true);
  expect(answer.sent).toBeLessThan(answer.length);
  expect(answer.finished).toBe(false);
}

/** Download works again: at full speed, the whole file, the same SHA-256. */
async function downloadAgain(viewer: Page): Promise<Download> {
  throttle.bytesPerSecond = Infinity;
  const row = viewer.getByTestId("revealed-file");
  const saved = viewer.waitForEvent("download");
  await row.getByRole("button", { name: /^Download/ }).click();
  const download = await saved;
  expect(sha256(readFileSync(await download.path()))).toBe(sha256(file.buffer));
  await expect(row.getByRole("status")).toHaveText("Decrypted and saved to your downloads.");
  return download;
}

test.beforeEach(() => {
  throttle.bytesPerSecond = SLOW;
});

test("Cancel stops a download through the service worker: cut at the server, not saved, Download works again", async ({
  page,
  newVisitor,
}) => {
  const viewer = await reveal(await newVisitor({ acceptDownloads: true }), await share(page));
  const { row, answer, download } = await startWorkerDownload(viewer);
  expect(download.url()).toMatch(/\/files-download\/[0-9a-f]{32}$/);
  await row.getByRole("button", { name: "Cancel download" }).click();

  await expectRowReset(row);
  // The browser's download failed: no complete file was presented, and there is none to open.
  expect(await download.failure()).not.toBeNull();
  await expect(download.path()).rejects.toThrow();
  await expectCut(answer);

  const again = await downloadAgain(viewer);
  expect(again.url()).toMatch(/\/files-download\/[0-9a-f]{32}$/);
});

test("Cancel stops a download without service workers: cut at the server, no file handed over, Download works again", async ({
  page,
  newVisitor,
}) => {
  const viewer = await reveal(
    await newVisitor({ acceptDownloads: true, serviceWorkers: "block" }),
    await share(page),
  );
  const downloads: Download[] = [];
  viewer.on("download", (download) => downloads.push(download));
  const { row, answer } = await startDownload(viewer);
  await row.getByRole("button", { name: "Cancel download" }).click();

  await expectRowReset(row);
  await expectCut(answer);
  // The page decrypts into a Blob and hands it over only when complete: nothing was handed over.
  expect(downloads).toHaveLength(0);

  const again = await downloadAgain(viewer);
  expect(again.url()).toMatch(/^blob:/);
  expect(downloads).toHaveLength(1);
});

test("cancelled in the browser's downloads: the worker stops fetching and the row says so, and Download works again", async ({
  page,
  newVisitor,
}) => {
  const viewer = await reveal(await newVisitor({ acceptDownloads: true }), await share(page));
  const { row, answer, download } = await startWorkerDownload(viewer);
  // What the browser's download manager does when its user cancels the download.
  await download.cancel();

  expect(await download.failure()).toBe("canceled");
  await expect(row.getByRole("alert")).toHaveText("The download stopped. Try again.");
  await expect(row.getByTestId("transfer")).toHaveCount(0);
  await expect(row.getByRole("button", { name: "Download dump.sql" })).toBeVisible();
  await expectCut(answer);
  await checkBothWidths(viewer, "files-download-cancelled");

  await downloadAgain(viewer);
  await expect(row.getByRole("alert")).toHaveCount(0);
});
