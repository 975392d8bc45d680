/**
 * Files in answers to end-to-end requests (SPEC F13 with F12, §3.1): a request made without an
 * account, answered in another browser with text and files (encrypted there, uploaded with
 * progress), opened with the reading link, each file decrypted in the page and saved with the
 * SHA-256 of the original; then deleted by its requester from the page that shows the links.
 * Across clients too: a browser's request answered by the CLI with --file and opened in the
 * browser, and a CLI request answered in the browser with a file and opened by the CLI. The
 * browser round trip runs once more against a server on PostgreSQL (TEST_DATABASE_URL, which CI
 * always sets), on a database of its own.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Page } from "@playwright/test";
import pg from "pg";

import { requestFromDashboard, requestOnPublicPage } from "../fixtures/request-form.js";
import { startExtraServer } from "../fixtures/server-process.js";
import { hushlink } from "../fixtures/cli.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test.describe.configure({ timeout: 180_000 });

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Clicks a file's Download button and gives back the bytes the browser saved. */
async function downloadOf(page: Page, name: string): Promise<Buffer> {
  const row = page.getByTestId("revealed-file").filter({ hasText: name });
  const saved = page.waitForEvent("download");
  await row.getByRole("button", { name: /^Download/ }).click();
  const download = await saved;
  expect(download.suggestedFilename()).toBe(name);
  await expect(row.getByRole("status")).toHaveText("Decrypted and saved to your downloads.");
  return readFileSync(await download.path());
}

test("request without an account, answered with files in another browser, opened with the reading link, then deleted", async ({
  newVisitor,
}) => {
  const requester = await (await newVisitor()).newPage();
  const made = await requestOnPublicPage(requester, "Signed contract");

  const answerer = await (await newVisitor()).newPage();
  const sent: string[] = [];
  answerer.on("request", (r) => sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
  await answerer.goto(made.requestLink);
  await expect(answerer.getByTestId("request-e2e")).toContainText("End-to-end encrypted");
  await expect(answerer.getByTestId("request-e2e")).toContainText("and any files");
  const contract = {
    name: "contract-signed.pdf",
    mimeType: "application/pdf",
    buffer: randomBytes(MiB + 12_345),
  };
  const notes = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("page 3 too") };
  await answerer.getByLabel("Secret", { exact: true }).fill("Both files, as asked.");
  await answerer.locator('input[type="file"]').setInputFiles([contract, notes]);
  await expect(answerer.getByText("contract-signed.pdf")).toBeVisible();
  await checkBothWidths(answerer, "request-files-01-answer");
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible({ timeout: 60_000 });
  await checkBothWidths(answerer, "request-files-02-sent");
  // The names and the text never left the browser in the clear.
  expect(sent.join("\n")).not.toContain("contract-signed");
  expect(sent.join("\n")).not.toContain("Both files");

  const reader = await requester.context().newPage();
  await reader.goto(made.readingLink);
  await reader.getByRole("button", { name: "Open the answer" }).click();
  await expect(reader.getByTestId("request-answer")).toHaveText("Both files, as asked.");
  await expect(reader.getByTestId("revealed-file")).toHaveCount(2);
  await checkBothWidths(reader, "request-files-03-opened");
  expect(sha256(await downloadOf(reader, contract.name))).toBe(sha256(contract.buffer));
  expect(sha256(await downloadOf(reader, notes.name))).toBe(sha256(notes.buffer));

  // The requester deletes the request from the page that shows the links, after a confirmation.
  await requester.getByRole("button", { name: "Delete request" }).click();
  await expect(requester.getByText("Delete this request and any answer to it?")).toBeVisible();
  await checkBothWidths(requester, "request-files-04-confirm-delete");
  await requester.getByRole("button", { name: "Delete request" }).click();
  await expect(requester.getByTestId("request-deleted")).toContainText("Request deleted");
  await checkBothWidths(requester, "request-files-05-deleted");
  await reader.reload();
  await reader.getByRole("button", { name: "Open the answer" }).click();
  await expect(
    reader.getByRole("heading", { name: "This request does not exist or has expired" }),
  ).toBeVisible();
});

/** Runs `sql` on the server TEST_DATABASE_URL names (create and drop a database). */
async function onPostgres(url: string, sql: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

test("on PostgreSQL: a request without an account, answered with a file in another browser, opened with the reading link", async ({
  newVisitor,
}) => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  test.skip(!adminUrl && !process.env.CI, "needs TEST_DATABASE_URL (PostgreSQL)");
  if (!adminUrl) throw new Error("CI runs every spec on PostgreSQL too: set TEST_DATABASE_URL");
  const name = `hl_e2e_${randomBytes(6).toString("hex")}`;
  await onPostgres(adminUrl, `create database ${name}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  const server = await startExtraServer({
    DATABASE_URL: databaseUrl.toString(),
    HUSHLINK_ROOT_KEY: randomBytes(32).toString("base64"),
  });
  try {
    const requester = await (await newVisitor({ baseURL: server.url })).newPage();
    const made = await requestOnPublicPage(requester, "Database password");
    expect(made.requestLink.startsWith(server.url)).toBe(true);

    const answerer = await (await newVisitor({ baseURL: server.url })).newPage();
    await answerer.goto(made.requestLink);
    const dump = {
      name: "dump.key",
      mimeType: "application/octet-stream",
      buffer: randomBytes(70_000),
    };
    await answerer.getByLabel("Secret", { exact: true }).fill("The key file.");
    await answerer.locator('input[type="file"]').setInputFiles([dump]);
    await answerer.getByRole("button", { name: "Send secret" }).click();
    await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible({ timeout: 60_000 });

    const reader = await requester.context().newPage();
    await reader.goto(made.readingLink);
    await reader.getByRole("button", { name: "Open the answer" }).click();
    await expect(reader.getByTestId("request-answer")).toHaveText("The key file.");
    expect(sha256(await downloadOf(reader, dump.name))).toBe(sha256(dump.buffer));
  } finally {
    await server.stop();
    await onPostgres(adminUrl, `drop database if exists ${name} with (force)`);
  }
});

test("web request, CLI answer with --file, web open", async ({ newVisitor, server }) => {
  const requester = await (await newVisitor()).newPage();
  const made = await requestOnPublicPage(requester, "Server key");
  const dir = mkdtempSync(path.join(tmpdir(), "hushlink-e2e-files-"));
  const key = randomBytes(3 * MiB + 7);
  await writeFile(path.join(dir, "server.key"), key);
  const answered = await hushlink(
    ["request", "answer", made.requestLink, "--file", path.join(dir, "server.key")],
    server.url,
    "the key",
  );
  expect(answered.stderr).toContain("Sent, end-to-end encrypted");
  expect(answered.code).toBe(0);

  const reader = await requester.context().newPage();
  await reader.goto(made.readingLink);
  await reader.getByRole("button", { name: "Open the answer" }).click();
  await expect(reader.getByTestId("request-answer")).toHaveText("the key");
  expect(sha256(await downloadOf(reader, "server.key"))).toBe(sha256(key));
});

test("CLI request, web answer with a file, CLI open --output", async ({ newVisitor, server }) => {
  const created = await hushlink(["request", "create", "--name", "Logs", "--json"], server.url);
  expect(created.code).toBe(0);
  const links = JSON.parse(created.stdout) as { requestLink: string; readingLink: string };

  const answerer = await (await newVisitor()).newPage();
  await answerer.goto(links.requestLink);
  const log = { name: "app.log", mimeType: "text/plain", buffer: randomBytes(2 * MiB) };
  // Files alone make an answer: the text may stay empty.
  await answerer.locator('input[type="file"]').setInputFiles([log]);
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible({ timeout: 60_000 });

  const out = mkdtempSync(path.join(tmpdir(), "hushlink-e2e-out-"));
  const opened = await hushlink(
    ["request", "open", links.readingLink, "--output", out, "--json"],
    server.url,
  );
  expect(opened.code, opened.stderr).toBe(0);
  const answer = JSON.parse(opened.stdout) as { text: string; files: { path: string }[] };
  expect(answer.text).toBe("");
  expect(sha256(readFileSync(answer.files[0]!.path))).toBe(sha256(log.buffer));
});

test("signed in: the dashboard's Requests tab opens an answer with a file, decrypted in the page", async ({
  page,
  newVisitor,
}) => {
  const { requestLink } = await requestFromDashboard(page, "Northwind", "Audit export");
  await expect(page.getByTestId("request-kept")).toBeVisible();

  const answerer = await (await newVisitor()).newPage();
  await answerer.goto(requestLink);
  const report = { name: "audit-2026.csv", mimeType: "text/csv", buffer: randomBytes(MiB + 3) };
  await answerer.getByLabel("Secret", { exact: true }).fill("The export you asked for.");
  await answerer.locator('input[type="file"]').setInputFiles([report]);
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible({ timeout: 60_000 });

  await page.goto("/app/requests");
  const row = page.getByRole("row", { name: /Audit export/ });
  await expect(row.getByText("Answered")).toBeVisible();
  await row.getByRole("button", { name: /^Open/ }).click();
  await expect(page.getByTestId("request-answer")).toHaveText("The export you asked for.");
  await expect(page.getByTestId("revealed-file")).toHaveCount(1);
  await checkBothWidths(page, "request-files-06-dashboard-opened");
  expect(sha256(await downloadOf(page, report.name))).toBe(sha256(report.buffer));
});
