/**
 * Editing a webhook endpoint (extension, docs/SPEC.md "Webhooks"): PATCH changes only the fields
 * given, keeps the signing secret and the log, checks a new URL as creation does, and a paused
 * endpoint is queued nothing until enabled again. Against a real receiver on 127.0.0.1.
 */
import { Webhook as Verifier } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";

import type { Webhook, WebhookListItem, WebhookPayload } from "@hushlink/protocol";

import { createManualClock } from "../src/clock.js";
import { memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, json } from "./helpers/http.js";
import { webhookSuite } from "./helpers/suite.js";
import { addEndpoint } from "./helpers/webhooks.js";

describe.each(testDialects)("editing webhooks on %s", (dialect) => {
  // Signatures are checked by the library against the real time: the clock starts at it.
  const clock = createManualClock(Date.now());
  const { t, receiver } = webhookSuite(dialect, { clock });
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("edit-hooks"), "Edit Co"));
  });

  const patch = (c: Client, id: string, payload: object) =>
    c.inject({ method: "PATCH", url: `/api/v1/orgs/${orgId}/webhooks/${id}`, payload });
  const shareCreated = async (name: string) => {
    const s = await buildShare({ name });
    const res = await createShare(admin, { ...s.body, orgId });
    expect(res.statusCode, res.body).toBe(201);
    await t.services.webhookWorker.runOnce();
    return s.body.id;
  };

  it("changes what is given, keeps the secret, pauses and resumes deliveries", async () => {
    const created = await addEndpoint(admin, orgId, {
      url: receiver.url("/hook/before"),
      events: ["share.deleted"],
    });
    expect(created.enabled).toBe(true);

    const changed = await patch(admin, created.id, {
      url: receiver.url("/hook/after"),
      events: ["share.created"],
      includeShareNames: true,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const body = json<Webhook>(changed);
    expect(body).toEqual({
      id: created.id,
      url: receiver.url("/hook/after"),
      events: ["share.created"],
      format: "standard",
      includeShareNames: true,
      enabled: true,
      createdAt: created.createdAt,
    });
    expect(changed.body).not.toContain(created.secret);
    const listed = json<{ webhooks: WebhookListItem[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/webhooks` }),
    ).webhooks;
    // Listed as changed, with its newest delivery (none was queued yet).
    expect(listed).toContainEqual({ ...body, lastDelivery: null });

    // The new URL, types and names apply; the secret is the one shown at creation.
    const first = await shareCreated("Named after the edit");
    const got = receiver.received.filter((r) => r.path === "/hook/after");
    expect(got).toHaveLength(1);
    const verified = new Verifier(created.secret).verify(
      got[0]!.body,
      got[0]!.headers as Record<string, string>,
    ) as WebhookPayload;
    expect(verified).toMatchObject({
      type: "share.created",
      data: { target: { kind: "share", id: first }, name: "Named after the edit" },
    });

    // Paused: nothing is queued for it, and it says so; resumed: the next event goes.
    const paused = await patch(admin, created.id, { enabled: false });
    expect(json<Webhook>(paused)).toMatchObject({ enabled: false, events: ["share.created"] });
    await shareCreated("While paused");
    const log = async () =>
      json<{ deliveries: { type: string }[] }>(
        await admin.inject({ url: `/api/v1/orgs/${orgId}/webhooks/${created.id}/deliveries` }),
      ).deliveries;
    expect(await log()).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === "/hook/after")).toHaveLength(1);
    await patch(admin, created.id, { enabled: true });
    await shareCreated("Resumed");
    expect(await log()).toHaveLength(2);
    expect(receiver.received.filter((r) => r.path === "/hook/after")).toHaveLength(2);

    // An empty change changes nothing, and still answers the endpoint.
    const same = await patch(admin, created.id, {});
    expect(same.statusCode).toBe(200);
    expect(json<Webhook>(same)).toMatchObject({ enabled: true, url: receiver.url("/hook/after") });
  });

  it("refuses what creation refuses, another organization's endpoint, and members", async () => {
    const created = await addEndpoint(admin, orgId, { url: receiver.url("/hook/refusals") });
    const refusals: [object, number, string][] = [
      [{ url: "ftp://example.com/hook" }, 400, "invalid_webhook_url"],
      [{ url: "https://user:pw@example.com/hook" }, 400, "invalid_webhook_url"],
      [{ events: [] }, 400, "invalid_request"],
      [{ events: ["share.nothing"] }, 400, "invalid_request"],
      [{ format: "xml" }, 400, "invalid_request"],
      [{ enabled: "yes" }, 400, "invalid_request"],
      [{ secret: "whsec_mine" }, 400, "invalid_request"],
    ];
    for (const [payload, status, code] of refusals) {
      const res = await patch(admin, created.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(json(res)).toMatchObject({ error: { code } });
    }
    const unknown = await patch(admin, "00000000-0000-0000-0000-000000000000", { enabled: false });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ error: { code: "webhook_not_found" } });
    // Another organization's admin does not reach it.
    const { admin: other, orgId: otherOrg } = await newOrg(
      t,
      uniqueEmail("other-hooks"),
      "Other Co",
    );
    const across = await other.inject({
      method: "PATCH",
      url: `/api/v1/orgs/${otherOrg}/webhooks/${created.id}`,
      payload: { enabled: false },
    });
    expect(json(across)).toMatchObject({ error: { code: "webhook_not_found" } });
    const member = await memberOf(t, orgId);
    const denied = await patch(member, created.id, { enabled: false });
    expect(denied.statusCode).toBe(403);
    expect(json(denied)).toMatchObject({ error: { code: "admin_required" } });
    // Nothing changed by any of them.
    const after = json<{ webhooks: Webhook[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/webhooks` }),
    ).webhooks.find((w) => w.id === created.id);
    expect(after).toMatchObject({ enabled: true, url: receiver.url("/hook/refusals") });
  });
});
