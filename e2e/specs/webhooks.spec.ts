/**
 * SPEC F18, the Webhooks tab (issue 23): an admin adds an endpoint pointing at a real HTTP
 * receiver this spec starts on 127.0.0.1 (the run's server allows private addresses), reads the
 * signing secret once, sends a test, and the receiver gets a request whose Standard Webhooks
 * signature verifies with that secret, which the delivery log then shows as delivered. Then an
 * event, an edit, pausing, deleting; a refused URL's message; members see no Webhooks tab. On a
 * server without WEBHOOK_ALLOW_PRIVATE, the form says why a private address is refused.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { AuditEventType, type WebhookDeliveryList, type WebhookPayload } from "@hushlink/protocol";
import { Webhook as Verifier } from "standardwebhooks";

import { addMember, buildMemberShare, callApi, orgIdOf, signUp } from "../fixtures/accounts.js";
import { expectAdminOnlyTab } from "../fixtures/org-member.js";
import { signUpOnExtra } from "../fixtures/extra-accounts.js";
import { startExtraServer } from "../fixtures/server-process.js";
import { checkBothWidths } from "../fixtures/widths.js";
import { expect, test } from "../fixtures/test.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that records every request and answers 204. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => void }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "/",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The body, verified against the secret per Standard Webhooks (throws when it does not). */
function verified(secret: string, request: Received): WebhookPayload {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(",") : (v ?? ""),
    ]),
  );
  return new Verifier(secret).verify(request.body, headers) as WebhookPayload;
}

test("Webhooks tab: add an endpoint, secret once, Test arrives signed and shows delivered", async ({
  page,
  newVisitor,
  server,
}) => {
  test.setTimeout(150_000);
  const receiver = await startReceiver();
  try {
    const admin = await signUp(page.context(), { label: "hooks", name: "Walter Skinner" });
    const orgId = orgIdOf(admin);

    await page.goto("/app/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 2 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();

    // The form: nothing picked is refused here, a URL the server refuses at its field.
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const url = page.getByLabel("Endpoint URL");
    await url.fill("https://user:password@hooks.example.com/hushlink");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("Pick at least one event to send.")).toBeVisible();
    await page.getByLabel("Share created").check();
    await page.getByLabel("Share deleted").check();
    // Out of every type the protocol has (the picker offers them all).
    const total = AuditEventType.options.length;
    await expect(page.getByText(`2 of ${total} events are sent.`)).toBeVisible();
    await checkBothWidths(page, "webhooks-add");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("alert")).toHaveText(
      "The webhook URL is not allowed: it carries a user name or password.",
    );
    await expect(url).toBeFocused();

    await url.fill(receiver.url);
    await page.getByLabel("Include share names").check();
    await page.getByRole("button", { name: "Add endpoint" }).click();

    // The signing secret, this once.
    await expect(page.getByRole("heading", { name: "Endpoint added" })).toBeFocused();
    await expect(page.getByText("you will not see it again")).toBeVisible();
    const secret = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    await page.getByRole("button", { name: "Copy signing secret" }).click();
    await expect(page.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
    await checkBothWidths(page, "webhooks-secret");
    await page.getByRole("button", { name: "Done, I copied it" }).click();
    await expect(page.getByRole("textbox", { name: "Signing secret" })).toHaveCount(0);
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);

    const table = page.getByRole("table", { name: /^Webhook endpoints of / });
    const row = table.locator("tr.data-table__row", { hasText: receiver.url });
    await expect(row.getByRole("rowheader")).toContainText("Standard format, with share names");
    await expect(row.getByRole("cell", { name: "Share created and 1 more" })).toBeVisible();
    await expect(row.getByRole("cell", { name: "Enabled" })).toBeVisible();
    await expect(row.getByRole("cell", { name: "None yet" })).toBeVisible();

    // Test: the receiver gets one POST signed with the secret; the log says delivered.
    await row.getByRole("button", { name: `Send test to ${receiver.url}` }).click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    const test1 = receiver.received[0]!;
    expect(test1.path).toBe("/hook");
    expect(test1.headers["content-type"]).toMatch(/^application\/json/);
    const payload = verified(secret, test1);
    expect(payload).toMatchObject({ type: "webhook.test", data: { org: orgId } });
    expect(() => verified(`whsec_${Buffer.alloc(24, 1).toString("base64")}`, test1)).toThrow();

    const details = row.getByRole("button", { name: `Details of ${receiver.url}` });
    await expect(details).toHaveAttribute("aria-expanded", "true");
    const log = page.getByRole("table", { name: "Delivery log" });
    const testLine = log.locator(`tr[data-delivery="${String(test1.headers["webhook-id"])}"]`);
    await expect(testLine.getByRole("cell", { name: "Delivered" })).toBeVisible({
      timeout: 20_000,
    });
    await expect(testLine.getByRole("cell", { name: "Test" })).toBeVisible();
    await expect(testLine.getByRole("cell", { name: "HTTP 204" })).toBeVisible();
    await expect(testLine.locator('td[data-label="Attempts"]')).toHaveText("1");
    await expect(row.getByRole("cell", { name: /^Delivered/ })).toBeVisible();

    // A picked event arrives signed, with the share's name (ticked), no secret material.
    const share = await buildMemberShare(page.context(), server, {
      orgId,
      name: "Prod database password",
      text: "correct horse battery staple",
    });
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(2);
    const event = receiver.received[1]!;
    expect(verified(secret, event)).toMatchObject({
      type: "share.created",
      data: { target: { kind: "share", id: share.id }, name: "Prod database password" },
    });
    expect(event.body).not.toContain(share.viewToken);
    expect(event.body).not.toContain("correct horse");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(log.locator('tr[data-status="delivered"]')).toHaveCount(2, { timeout: 20_000 });
    await expect(log.getByRole("cell", { name: "Share created" })).toBeVisible();
    await checkBothWidths(page, "webhooks-log");

    // Edit: the form holds the endpoint's values; Slack format is saved.
    await page.getByRole("button", { name: "Edit" }).click();
    await expect(page.getByLabel("Endpoint URL")).toHaveValue(receiver.url);
    await expect(page.getByLabel("Share deleted")).toBeChecked();
    await expect(page.getByLabel("Include share names")).toBeChecked();
    await page.getByLabel("Slack").check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(row.getByRole("rowheader")).toContainText("Slack format, with share names");

    // Paused: nothing is queued for it; enabled again afterwards.
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(row.getByRole("cell", { name: "Paused" })).toBeVisible();
    await buildMemberShare(page.context(), server, { orgId });
    const webhookId = await row.getAttribute("data-webhook-id");
    const queued = await callApi<WebhookDeliveryList>(
      page.context(),
      "GET",
      `/api/v1/orgs/${orgId}/webhooks/${webhookId}/deliveries`,
    );
    expect(queued.body.deliveries).toHaveLength(2);
    await page.getByRole("button", { name: "Enable" }).click();
    await expect(row.getByRole("cell", { name: "Enabled" })).toBeVisible();

    // A member of the organization sees no Webhooks tab; the page and the API refuse them.
    const memberContext = await newVisitor();
    await addMember(page.context(), orgId, memberContext, server);
    await expectAdminOnlyTab(memberContext, orgId, { name: "Webhooks", path: "/app/webhooks" });
    const refused = await callApi(memberContext, "GET", `/api/v1/orgs/${orgId}/webhooks`);
    expect(refused.status).toBe(403);

    // Delete, after the confirmation.
    await page.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this endpoint?" });
    await expect(dialog).toContainText(receiver.url);
    await dialog.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
    expect((await callApi(page.context(), "GET", `/api/v1/orgs/${orgId}/webhooks`)).body).toEqual({
      webhooks: [],
    });
  } finally {
    receiver.close();
  }
});

test("without WEBHOOK_ALLOW_PRIVATE the form says why http:// and a loopback address are refused", async ({
  newVisitor,
}) => {
  test.setTimeout(120_000);
  const strict = await startExtraServer({ WEBHOOK_ALLOW_PRIVATE: "false" });
  try {
    const context = await newVisitor();
    await signUpOnExtra(strict, context, "strict");
    const page = await context.newPage();
    await page.goto(`${strict.url}/app/webhooks`);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByLabel("Share revealed").check();
    const url = page.getByLabel("Endpoint URL");

    await url.fill("http://hooks.example.com/hushlink");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("alert")).toHaveText(
      "The webhook URL is not allowed: use https://.",
    );
    await url.fill("https://127.0.0.1:8443/hook");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("alert")).toHaveText(
      "The webhook URL is not allowed: it names a private, loopback or link-local address.",
    );
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(url).toHaveAccessibleDescription(/it names a private, loopback or link-local/);
    await checkBothWidths(page, "webhooks-refused");
    await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
  } finally {
    await strict.stop();
  }
});
