/**
 * Files (SPEC F12, §3.1) in the browser: picked and dropped on the share form, refused over the
 * limits before anything is sent, encrypted and uploaded with progress, cancelled, resumed after
 * an interruption, revealed in another browser, decrypted in the page and saved under a clean
 * name with the same SHA-256 as the original, never opened inline; with a password, for an
 * organization only and for e-mail recipients; and counted on the dashboard's row.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { BrowserContext, Download, Page } from "@playwright/test";

import { addMember, orgIdOf, signUp } from "../fixtures/accounts.js";
import { waitForMail, linkIn } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Upload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const binary = (name: string, size: number): Upload => ({
  name,
  mimeType: "application/octet-stream",
  buffer: randomBytes(size),
});

async function pick(page: Page, files: Upload[]): Promise<void> {
  await page.locator('input[type="file"]').setInputFiles(files);
}

async function createLink(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  return page.getByLabel("Share link", { exact: true }).inputValue();
}

/** Clicks a file's Download button and gives back what the browser saved. */
async function downloadOf(
  page: Page,
  name: string,
): Promise<{ download: Download; bytes: Buffer }> {
  const row = page.getByTestId("revealed-file").filter({ hasText: name });
  const saved = page.waitForEvent("download");
  await row.getByRole("button", { name: /^Download/ }).click();
  const download = await saved;
  const path = await download.path();
  await expect(row.getByRole("status")).toHaveText("Decrypted and saved to your downloads.");
  return { download, bytes: readFileSync(path) };
}

async function revealIn(context: BrowserContext, link: string, password?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(link);
  if (password) await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByRole("heading", { name: "Here is your secret" })).toBeVisible();
  return page;
}

test("pick and drop files, upload with progress, reveal elsewhere, download: same SHA-256", async ({
  page,
  newVisitor,
}) => {
  const report = binary("report final.pdf", 2 * MiB + 123);
  const note = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") };
  const empty = { name: "empty.bin", buffer: Buffer.alloc(0) };
  // A hidden HTML file: saved as "evil.html", never rendered by the page.
  const html = {
    name: ".evil.html",
    mimeType: "text/html",
    buffer: Buffer.from("<script>window.parent.document.title='pwned'</script>"),
  };

  await page.goto("/");
  await expect(page.getByTestId("files-total")).toContainText("Up to 20 files, 100 MB in total.");
  await pick(page, [report, note]);
  // Drag and drop adds to what was picked (an empty file of no known type among them).
  const dropped = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], ".evil.html", { type: "text/html" }));
    transfer.items.add(new File([], "empty.bin", { type: "" }));
    return transfer;
  }, html.buffer.toString());
  await page.getByTestId("file-drop").dispatchEvent("drop", { dataTransfer: dropped });
  const chosen = page.getByRole("list", { name: "Chosen files" }).getByRole("listitem");
  await expect(chosen).toHaveCount(4);
  await expect(chosen.nth(0)).toContainText("report final.pdf");
  await expect(chosen.nth(0)).toContainText("2 MB");
  await expect(chosen.nth(1)).toContainText("5 bytes");
  await expect(page.getByTestId("files-total")).toContainText("4 files, 2 MB of 100 MB.");
  await expect(chosen.nth(2)).toContainText(".evil.html");
  await page.getByRole("button", { name: "Remove notes.txt" }).click();
  await expect(chosen).toHaveCount(3);
  await pick(page, [note]);
  await checkBothWidths(page, "files-form-chosen");

  const puts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "PUT") puts.push(request.url());
  });
  await page.getByLabel("Secret", { exact: true }).fill("the files are attached");
  const link = await createLink(page);
  // 3 chunks of the report, one each for the others; names never in a URL.
  expect(puts).toHaveLength(6);
  for (const url of puts) expect(url).not.toMatch(/report|notes|evil|empty/);

  const viewer = await revealIn(await newVisitor({ acceptDownloads: true }), link);
  await expect(viewer.getByTestId("secret-text")).toHaveText("the files are attached");
  const rows = viewer.getByTestId("revealed-file");
  await expect(rows).toHaveCount(4);
  await expect(rows.getByTestId("file-name")).toHaveText([
    "report final.pdf",
    "evil.html",
    "empty.bin",
    "notes.txt",
  ]);
  await expect(rows.nth(0)).toContainText("application/octet-stream, 2 MB");
  await expect(rows.nth(1)).toContainText("text/html, 53 bytes");
  await expect(rows.nth(2)).toContainText("unknown type, 0 bytes");
  await expect(rows.nth(3)).toContainText("text/plain, 5 bytes");
  await checkBothWidths(viewer, "files-revealed");

  for (const [file, savedAs] of [
    [report, "report final.pdf"],
    [note, "notes.txt"],
    [html, "evil.html"],
    [empty, "empty.bin"],
  ] as const) {
    const { download, bytes } = await downloadOf(viewer, savedAs);
    expect(download.suggestedFilename()).toBe(savedAs);
    expect(sha256(bytes)).toBe(sha256(file.buffer));
  }
  // The HTML file went to the downloads, not into a tab or this page.
  expect(viewer.context().pages()).toHaveLength(1);
  expect(await viewer.title()).not.toBe("pwned");
  await checkBothWidths(viewer, "files-downloaded");
});

test("files over the limits are refused before anything is sent", async ({ page }) => {
  let sent = 0;
  page.on("request", (request) => {
    if (request.method() !== "GET") sent++;
  });
  await page.goto("/");
  await pick(
    page,
    Array.from({ length: 21 }, (_, i) => ({
      name: `f${i}.txt`,
      mimeType: "text/plain",
      buffer: Buffer.from(`${i}`),
    })),
  );
  await expect(page.getByRole("alert")).toHaveText(
    "21 files chosen; at most 20 files fit in one secret.",
  );
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    "21 files chosen; at most 20 files fit in one secret.",
  );
  await checkBothWidths(page, "files-over-limit");
  await page.getByRole("button", { name: "Remove f20.txt" }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);
  expect(sent).toBe(0);
});

test("an interrupted upload resumes from what the server has; Cancel deletes the share", async ({
  page,
  newVisitor,
}) => {
  const big = binary("backup.tar", 5 * MiB + 7);
  await page.goto("/");
  await pick(page, [big]);
  // The connection drops on chunk 3, once.
  let dropped = false;
  await page.route(/\/blobs\/[^/]+\/3$/, async (route) => {
    if (!dropped) {
      dropped = true;
      await route.abort("connectionreset");
    } else await route.continue();
  });
  await page.getByRole("button", { name: "Create secret link" }).click();
  const interrupted = page.getByTestId("upload-interrupted");
  await expect(interrupted).toContainText("The upload was interrupted.");
  await expect(interrupted).toContainText("The connection to the server was lost.");
  await checkBothWidths(page, "files-upload-interrupted");

  const sentAgain: string[] = [];
  page.on("request", (request) => sentAgain.push(`${request.method()} ${request.url()}`));
  await page.getByRole("button", { name: "Resume upload" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();
  // It asked what arrived and sent only the missing chunks (3, and any after it still in flight).
  expect(sentAgain.some((r) => r.startsWith("GET ") && r.endsWith("/upload"))).toBe(true);
  const resent = sentAgain.filter((r) => r.startsWith("PUT "));
  expect(resent.length).toBeGreaterThanOrEqual(1);
  expect(resent.length).toBeLessThan(6);
  expect(resent.some((r) => r.endsWith("/3"))).toBe(true);

  const viewer = await revealIn(await newVisitor({ acceptDownloads: true }), link);
  const { bytes } = await downloadOf(viewer, "backup.tar");
  expect(sha256(bytes)).toBe(sha256(big.buffer));

  // Cancel: a slow upload stopped half way; the unfinished share is deleted.
  await page.getByRole("button", { name: "Share another secret" }).click();
  await pick(page, [binary("slow.bin", 6 * MiB)]);
  // Chunk 0 goes through; the others wait until Cancel was pressed.
  let release: () => void = () => undefined;
  const cancelled = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/blobs\/[^/]+\/\d+$/, async (route) => {
    if (!route.request().url().endsWith("/0")) await cancelled;
    await route.continue().catch(() => undefined);
  });
  const created = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/shares") && r.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Create secret link" }).click();
  const { id } = (await (await created).json()) as { id: string };
  await expect(page.getByTestId("transfer-numbers")).toContainText("1 MB of 6 MB (16%)");
  await checkBothWidths(page, "files-uploading");
  await page.getByRole("button", { name: "Cancel upload" }).click();
  release();
  await expect(page.getByRole("alert")).toHaveText(
    "Upload cancelled. Nothing was shared: the secret was deleted.",
  );
  const meta = await page.request.get(`/api/v1/shares/${id}`);
  expect(meta.status()).toBe(410);
});

test("files with a password, for the organization only, and for e-mail recipients; counted on the dashboard", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "files-admin", name: "Dana Scully" });
  const memberContext = await newVisitor({ acceptDownloads: true });
  const member = await addMember(page.context(), orgIdOf(admin), memberContext, server);
  const file = binary("kubeconfig", MiB + 1);

  // With a password.
  await page.goto("/");
  await pick(page, [file]);
  await page.getByLabel(/^Name/).fill("Cluster config");
  await page.getByLabel(/^Password/).fill("correct horse");
  const withPassword = await createLink(page);
  const outsider = await revealIn(
    await newVisitor({ acceptDownloads: true }),
    withPassword,
    "correct horse",
  );
  expect(sha256((await downloadOf(outsider, "kubeconfig")).bytes)).toBe(sha256(file.buffer));

  // Organization only: the member, signed in, downloads it.
  await page.getByRole("button", { name: "Share another secret" }).click();
  await pick(page, [file]);
  await page.getByLabel("Limit access to people within organization").check();
  const orgOnly = await createLink(page);
  const colleague = await revealIn(memberContext, orgOnly);
  expect(sha256((await downloadOf(colleague, "kubeconfig")).bytes)).toBe(sha256(file.buffer));

  // E-mail recipients: the mailed link opens the files for the recipient.
  await page.getByRole("button", { name: "Share another secret" }).click();
  await pick(page, [file]);
  const chips = page.getByLabel(/^E-mail the link to/);
  await chips.fill(member.email);
  await chips.press("Enter");
  // A link of their own (F14): mailed, not shown on the created page.
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  const mailed = linkIn(
    await waitForMail(member.email, /shared a secret with you/),
    `${server.url}/s#`,
  );
  const recipient = await revealIn(memberContext, mailed);
  expect(sha256((await downloadOf(recipient, "kubeconfig")).bytes)).toBe(sha256(file.buffer));

  await page.goto("/app");
  const row = page.getByRole("row").filter({ hasText: "Cluster config" });
  await expect(row.getByTestId("share-files")).toHaveText("1 file, 1 MB");
  await checkBothWidths(page, "files-dashboard");
});
