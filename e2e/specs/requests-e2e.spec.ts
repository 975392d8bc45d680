/**
 * End-to-end secret requests in the browser (SPEC F13, §3.2): made without an account on
 * /request, answered in another browser that checks the key's fingerprint and encrypts there,
 * opened with the reading link; made in the dashboard and opened there with the key this browser
 * kept, or with the reading link once it is gone. A server that swaps the key is caught.
 */
import { createRequestKeys } from "@hushlink/protocol/client";
import type { Page } from "@playwright/test";

import { createRequest } from "../fixtures/org-admin.js";
import { requestFromDashboard, requestOnPublicPage } from "../fixtures/request-form.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

// Each test checks several states at two widths with axe: more than the default minute on a
// loaded machine.
test.describe.configure({ timeout: 150_000 });

const ANSWER = "postgres://deploy:Tr0ub4dor&3@db.internal:5432/app <b>not html</b>";

/** Everything the page sent to the server: addresses and bodies. */
function recordTraffic(page: Page): string[] {
  const sent: string[] = [];
  page.on("request", (request) => {
    sent.push(`${request.method()} ${request.url()} ${request.postData() ?? ""}`);
  });
  return sent;
}

async function createOnPublicPage(page: Page, name: string) {
  const { requestLink, readingLink } = await requestOnPublicPage(page, name);
  const request = /\/r\/([A-Za-z0-9_-]{22,})#([A-Za-z0-9_-]{43})$/.exec(requestLink);
  const reading = /\/r\/([A-Za-z0-9_-]{22,})\/open#([A-Za-z0-9_-]{43})$/.exec(readingLink);
  expect(request, requestLink).not.toBeNull();
  expect(reading, readingLink).not.toBeNull();
  expect(reading?.[1]).toBe(request?.[1]);
  return {
    id: request?.[1] ?? "",
    fingerprint: request?.[2] ?? "",
    readingSecret: reading?.[2] ?? "",
    requestLink,
    readingLink,
  };
}

test("end-to-end request: made without an account, answered elsewhere, opened with the reading link", async ({
  newVisitor,
}) => {
  const requester = await (await newVisitor()).newPage();
  const requesterSent = recordTraffic(requester);
  const made = await createOnPublicPage(requester, "Production database URL");
  await expect(requester.getByText("the only key to the answer")).toBeVisible();
  await expect(requester.getByRole("img", { name: "QR code of the request link" })).toBeVisible();
  await checkBothWidths(requester, "request-e2e-01-created");

  // The person asked, in a browser of their own: the key is checked against the link first.
  const answerer = await (await newVisitor()).newPage();
  const answererSent = recordTraffic(answerer);
  await answerer.goto(made.requestLink);
  await expect(answerer.getByRole("heading", { name: "You are asked for a secret" })).toBeVisible();
  await expect(answerer.getByTestId("request-e2e")).toContainText("the server cannot read it");
  await expect(answerer.getByTestId("request-fingerprint")).toHaveText(
    (made.fingerprint.slice(0, 16).match(/.{4}/g) ?? []).join(" "),
  );
  // The fragment left the address bar at once; the tab keeps it (lib/fragment.ts).
  expect(new URL(answerer.url()).hash).toBe("");
  await answerer.getByLabel("Secret", { exact: true }).fill(ANSWER);
  await checkBothWidths(answerer, "request-e2e-02-answer");
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeFocused();

  // What left the answering browser: a sealed answer, never the text.
  const submit = answererSent.find((line) => line.includes(`/requests/${made.id}/submit`));
  expect(submit).toContain("ephemeralPublicKey");
  expect(answererSent.join("\n")).not.toContain("Tr0ub4dor");
  expect(answererSent.join("\n")).not.toContain('"value"');

  // The requester opens the reading link in a new tab: nothing is asked until Open.
  const reader = await requester.context().newPage();
  const readerSent = recordTraffic(reader);
  await reader.goto(made.readingLink);
  await expect(reader.getByRole("heading", { name: "Open the answer" })).toBeVisible();
  expect(readerSent.filter((line) => line.includes("/api/v1/requests/"))).toEqual([]);
  await checkBothWidths(reader, "request-e2e-03-ready");
  await reader.getByRole("button", { name: "Open the answer" }).click();
  await expect(reader.getByTestId("request-answer")).toHaveText(ANSWER);
  await checkBothWidths(reader, "request-e2e-04-opened");
  // A reload opens it again: this tab kept the key, and opening uses nothing up.
  await reader.reload();
  await reader.getByRole("button", { name: "Open the answer" }).click();
  await expect(reader.getByTestId("request-answer")).toHaveText(ANSWER);

  // The reading secret never travelled to the server, from either of the requester's tabs.
  expect([...requesterSent, ...readerSent].join("\n")).not.toContain(made.readingSecret);
  expect(
    [...requesterSent, ...readerSent].filter((line) => line.includes(made.readingSecret)),
  ).toEqual([]);

  // Another reading secret for the same request: the server answers as for an unknown id.
  const wrong = await (await newVisitor()).newPage();
  const other = (await createRequestKeys()).readingSecret;
  await wrong.goto(`/r/${made.id}/open#${other}`);
  await wrong.getByRole("button", { name: "Open the answer" }).click();
  await expect(
    wrong.getByRole("heading", { name: "This request does not exist or has expired" }),
  ).toBeFocused();
  await checkBothWidths(wrong, "request-e2e-05-wrong-link");

  // And a second answer loses: the first one fulfilled it.
  const late = await (await newVisitor()).newPage();
  await late.goto(made.requestLink);
  await expect(
    late.getByRole("heading", { name: "This request was already answered" }),
  ).toBeVisible();
});

test("end-to-end request: a server that swaps the key is caught before anything is typed", async ({
  newVisitor,
}) => {
  const requester = await (await newVisitor()).newPage();
  const made = await createOnPublicPage(requester, "Signing key passphrase");

  // A test double of a dishonest server: the request's metadata carries another valid key.
  const swapped = (await createRequestKeys()).body.publicKey;
  const victim = await (await newVisitor()).newPage();
  const victimSent = recordTraffic(victim);
  await victim.route(`**/api/v1/requests/${made.id}`, async (route) => {
    const response = await route.fetch();
    const json = (await response.json()) as { publicKey: string };
    expect(json.publicKey).not.toBe(swapped);
    await route.fulfill({ response, json: { ...json, publicKey: swapped } });
  });
  await victim.goto(made.requestLink);
  await expect(victim.getByRole("heading", { name: "Do not answer this request" })).toBeVisible();
  await expect(victim.getByText("Nothing was sent.")).toBeVisible();
  await expect(victim.getByRole("textbox")).toHaveCount(0);
  await expect(victim.getByRole("button", { name: "Send secret" })).toHaveCount(0);
  expect(victimSent.filter((line) => line.includes("/submit"))).toEqual([]);
  await checkBothWidths(victim, "request-e2e-06-key-mismatch");

  // The link without its fingerprint cannot be checked, so it is refused too.
  const bare = await (await newVisitor()).newPage();
  await bare.goto(`/r/${made.id}`);
  await expect(
    bare.getByRole("heading", { name: "This request link is incomplete" }),
  ).toBeVisible();
  await expect(bare.getByRole("textbox")).toHaveCount(0);
  await checkBothWidths(bare, "request-e2e-07-incomplete");

  // The honest server's key passes, and the request is still open for the right person.
  const honest = await (await newVisitor()).newPage();
  await honest.goto(made.requestLink);
  await expect(honest.getByRole("button", { name: "Send secret" })).toBeVisible();
});

test("end-to-end request in the dashboard: opened with the kept key, or with the reading link", async ({
  page,
  newVisitor,
}) => {
  const { requestLink, readingLink } = await requestFromDashboard(
    page,
    "Fabrikam",
    "VPN pre-shared key",
  );
  await expect(page.getByTestId("request-kept")).toBeVisible();
  const row = page.getByRole("row", { name: /VPN pre-shared key/ });
  await expect(row.getByTestId("request-kind")).toHaveText("End-to-end");
  await checkBothWidths(page, "request-e2e-08-dashboard-created");

  // An older, server-encrypted request made through the API stays readable as before.
  const legacy = await createRequest(page, { name: "Legacy printer PIN" });

  const answerer = await (await newVisitor()).newPage();
  await answerer.goto(requestLink);
  await answerer.getByLabel("Secret", { exact: true }).fill(ANSWER);
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible();
  await answerer.goto(legacy.url);
  await expect(answerer.getByTestId("request-e2e")).toHaveCount(0);
  await answerer.getByLabel("Secret", { exact: true }).fill("4711");
  await answerer.getByRole("button", { name: "Send secret" }).click();
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeVisible();

  await page.goto("/app/requests");
  await expect(row.getByText("Answered")).toBeVisible();
  await row.getByRole("button", { name: /^Open/ }).click();
  await expect(page.getByTestId("request-answer")).toHaveText(ANSWER);
  await checkBothWidths(page, "request-e2e-09-dashboard-opened");
  await row.getByRole("button", { name: /^Hide/ }).click();

  const legacyRow = page.getByRole("row", { name: /Legacy printer PIN/ });
  await expect(legacyRow.getByTestId("request-kind")).toHaveText("Server-encrypted");
  await legacyRow.getByRole("button", { name: /^Reveal/ }).click();
  await expect(page.getByTestId("request-answer")).toHaveText("4711");
  await legacyRow.getByRole("button", { name: /^Hide/ }).click();

  // This browser forgets its keys (another device, cleared storage): the reading link opens it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase("hushlink");
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(new Error("could not delete"));
      }),
  );
  await page.reload();
  await row.getByRole("button", { name: /^Open/ }).click();
  const field = page.getByLabel("Reading link of “VPN pre-shared key”");
  await expect(field).toBeVisible();
  await field.fill(`${readingLink.slice(0, -1)}`);
  await page.getByRole("button", { name: "Open the answer", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("not a Hushlink reading link");
  await checkBothWidths(page, "request-e2e-10-dashboard-ask");
  await field.fill(readingLink);
  await page.getByRole("button", { name: "Open the answer", exact: true }).click();
  await expect(page.getByTestId("request-answer")).toHaveText(ANSWER);
});
