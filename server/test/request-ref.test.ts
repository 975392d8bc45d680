import { beforeAll, describe, expect, it } from "vitest";

import {
  createRequestKeys,
  deriveReadingKeys,
  sealAnswer,
  type WebhookPayload,
} from "@hushlink/protocol";

import { newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { webhookSuite } from "./helpers/suite.js";
import { addEndpoint } from "./helpers/webhooks.js";

/*
 * A request's id answers it (its link is `/r/{id}#{fp}`, the fingerprint of a public key the
 * server hands out): audit entries and webhook payloads name it by its `ref` instead
 * (docs/SPEC.md, audit entries), the one its requester reads in the API's answers.
 */
const REQUEST_EVENTS = ["request.created", "request.answered", "request.opened", "request.deleted"];

describe.each(testDialects)("a request's reference on %s", (dialect) => {
  const { t, receiver } = webhookSuite(dialect);
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("ref"), "Ref Co"));
  });

  async function hook(path: string, format: "standard" | "slack", includeShareNames = false) {
    await addEndpoint(admin, orgId, {
      url: receiver.url(path),
      events: REQUEST_EVENTS,
      format,
      includeShareNames,
    });
  }

  async function listed(): Promise<Map<string, string>> {
    const res = await admin.inject({ url: `/api/v1/requests?orgId=${orgId}` });
    expect(res.statusCode, res.body).toBe(200);
    const items = json<{ items: { id: string; ref: string }[] }>(res).items;
    return new Map(items.map((i) => [i.id, i.ref]));
  }

  it("audit entries and webhook deliveries carry the ref, never the id", async () => {
    await hook("/ref/standard", "standard");
    await hook("/ref/slack", "slack");
    await hook("/ref/named", "standard", true);

    // Server-encrypted: created, answered, opened by reveal, deleted.
    const plain = await admin.inject({
      method: "POST",
      url: "/api/v1/requests",
      payload: { orgId, expiresIn: 600, access: "anyone", name: "Plain request" },
    });
    expect(plain.statusCode, plain.body).toBe(201);
    const p = json<{ id: string; ref: string }>(plain);
    const submit = (id: string, payload: object) =>
      t.app.inject({ method: "POST", url: `/api/v1/requests/${id}/submit`, payload });
    expect((await submit(p.id, { value: "the answer" })).statusCode).toBe(204);
    const reveal = await admin.inject({ method: "POST", url: `/api/v1/requests/${p.id}/reveal` });
    expect(reveal.statusCode).toBe(200);

    // End-to-end: created, answered, opened with the reading link.
    const keys = await createRequestKeys();
    const { readToken } = await deriveReadingKeys(keys.readingSecret);
    const sealed = await admin.inject({
      method: "POST",
      url: "/api/v1/requests",
      payload: { ...keys.body, orgId, expiresIn: 600, access: "anyone" },
    });
    expect(sealed.statusCode, sealed.body).toBe(201);
    const e = json<{ id: string; ref: string }>(sealed);
    const answer = await sealAnswer(keys.body.publicKey, { text: "sealed" });
    expect((await submit(e.id, { ...answer })).statusCode).toBe(204);
    const open = await t.app.inject({
      method: "POST",
      url: `/api/v1/requests/${e.id}/open`,
      payload: { readToken },
    });
    expect(open.statusCode).toBe(200);

    // The list answers the same ref as the creation; then the plain one goes.
    const refs = await listed();
    expect(refs.get(p.id)).toBe(p.ref);
    expect(refs.get(e.id)).toBe(e.ref);
    expect(p.ref).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(p.ref).not.toBe(p.id);
    const gone = await admin.inject({ method: "DELETE", url: `/api/v1/requests/${p.id}` });
    expect(gone.statusCode).toBe(204);
    for (let i = 0; i < 3; i += 1) await t.services.webhookWorker.runOnce();

    // The export, as raw text: every request event names a request by its ref.
    const entries = (await auditEntries(admin, orgId)).filter((x) => x.type.startsWith("request."));
    const byRef = (ref: string) => entries.filter((x) => x.target?.id === ref).map((x) => x.type);
    expect(byRef(p.ref)).toEqual(REQUEST_EVENTS);
    expect(byRef(e.ref)).toEqual(REQUEST_EVENTS.slice(0, 3));
    const exported = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    const pages = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit/entries?limit=100` });
    for (const text of [exported.body, pages.body]) {
      expect(text).toContain(p.ref);
      expect(text).not.toContain(p.id);
      expect(text).not.toContain(e.id);
    }

    // Every delivery, raw: the ref, not the id; names still found for the endpoint that asked.
    const at = (path: string) => receiver.received.filter((r) => r.path === path);
    expect(at("/ref/standard")).toHaveLength(7);
    expect(at("/ref/slack")).toHaveLength(7);
    for (const r of receiver.received) {
      expect(r.body).not.toContain(p.id);
      expect(r.body).not.toContain(e.id);
      expect(r.body.includes(p.ref) || r.body.includes(e.ref), r.body).toBe(true);
    }
    const named = at("/ref/named").map((r) => JSON.parse(r.body) as WebhookPayload);
    const created = named.find((n) => n.type === "request.created" && n.data.target?.id === p.ref);
    expect(created?.data.name).toBe("Plain request");
  });
});
