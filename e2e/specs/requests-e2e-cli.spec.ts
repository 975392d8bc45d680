/**
 * End-to-end requests across clients (SPEC F13): a request made in the browser is answered by
 * the CLI and opened in the browser; one made by the CLI is answered in the browser and opened by
 * the CLI. Both sides run the real thing: Chromium and the built `hushlink` command, no account.
 */
import { hushlink } from "../fixtures/cli.js";
import { fillRequestForm } from "../fixtures/request-form.js";
import { expect, test } from "../fixtures/test.js";

test.describe.configure({ timeout: 150_000 });

const TEXT = "AKIA-EXAMPLE  trailing spaces, ünïcødé 🔑\nsecond line";

test("web request, CLI answer, web open", async ({ newVisitor, server }) => {
  const requester = await (await newVisitor()).newPage();
  await requester.goto("/request");
  const { requestLink, readingLink } = await fillRequestForm(requester, "AWS key");

  const answered = await hushlink(["request", "answer", requestLink], server.url, TEXT);
  expect(answered.stderr).toContain("Sent, end-to-end encrypted");
  expect(answered.code).toBe(0);

  const reader = await requester.context().newPage();
  await reader.goto(readingLink);
  await reader.getByRole("button", { name: "Open the answer" }).click();
  await expect(reader.getByTestId("request-answer")).toHaveText(TEXT);
});

test("CLI request, web answer, CLI open", async ({ newVisitor, server }) => {
  const created = await hushlink(["request", "create", "--name", "AWS key", "--json"], server.url);
  expect(created.stderr).toBe("");
  expect(created.code).toBe(0);
  const links = JSON.parse(created.stdout) as { requestLink: string; readingLink: string };

  const answerer = await (await newVisitor()).newPage();
  await answerer.goto(links.requestLink);
  await expect(answerer.getByTestId("request-e2e")).toBeVisible();
  await answerer.getByLabel("Secret", { exact: true }).fill(TEXT);
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible();

  const opened = await hushlink(["request", "open", links.readingLink], server.url);
  expect(opened.code).toBe(0);
  expect(opened.stdout).toBe(TEXT);
});
