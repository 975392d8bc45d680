/**
 * A webhook belongs to the admin who added it (docs/SPEC.md, "Webhooks"): when its owner leaves
 * the organization (removed, leaves, or deletes the account) or stops being an admin, their
 * endpoints are paused in the same transaction, with the reason `creator_not_admin`, and nothing
 * after the change reaches them. An admin who resumes one becomes its owner. Against a real
 * receiver on 127.0.0.1.
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { Webhook, WebhookListItem } from "@hushlink/protocol";

import { createManualClock } from "../src/clock.js";
import {
  addMembership,
  GOOD_PASSWORD,
  login,
  newOrg,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, json } from "./helpers/http.js";
import { webhookSuite } from "./helpers/suite.js";
import { addEndpoint } from "./helpers/webhooks.js";

type Listed = Webhook & { pausedReason?: string };

/** The event types an endpoint received, in order. */
/** The event types an endpoint received, sorted: concurrent deliveries arrive in any order. */
const types = (hook: { got: () => { body: string }[] }) =>
  hook
    .got()
    .map((r) => (JSON.parse(r.body) as { type: string }).type)
    .sort();

describe.each(testDialects)("a webhook's owner on %s", (dialect) => {
  // Signatures are checked against the real time: the clock starts at it.
  const clock = createManualClock(Date.now());
  const { t, receiver } = webhookSuite(dialect, { clock });
  let owner: Client;
  let orgId: string;
  let path = 0;

  beforeAll(async () => {
    ({ admin: owner, orgId } = await newOrg(t, uniqueEmail("hook-owner"), "Hook Co"));
  });

  /** Another admin of the organization, signed in now (so their proof of identity is recent). */
  async function anotherAdmin(label: string) {
    const email = uniqueEmail(label);
    await signup(t, email);
    await addMembership(t, orgId, email, "admin");
    return { client: await login(t, email), id: await userIdOf(t, email), email };
  }

  /** An endpoint `admin` adds for share.created and the member events, at a path of its own. */
  async function hookOf(admin: Client) {
    const at = `/owner/${(path += 1)}`;
    const { id } = await addEndpoint(admin, orgId, {
      url: receiver.url(at),
      events: ["share.created", "member.removed", "member.left", "member.role_changed"],
    });
    return { id, got: () => receiver.received.filter((r) => r.path === at) };
  }

  /** An event every endpoint wants, sent out by the worker. */
  async function event() {
    const s = await buildShare({ name: "an event" });
    const res = await createShare(owner, { ...s.body, orgId });
    expect(res.statusCode, res.body).toBe(201);
    await t.services.webhookWorker.runOnce();
  }

  const listed = async (id: string) =>
    json<{ webhooks: (WebhookListItem & Listed)[] }>(
      await owner.inject({ url: `/api/v1/orgs/${orgId}/webhooks` }),
    ).webhooks.find((w) => w.id === id);
  const patch = (c: Client, id: string, payload: object) =>
    c.inject({ method: "PATCH", url: `/api/v1/orgs/${orgId}/webhooks/${id}`, payload });
  const setRole = (id: string, role: string) =>
    owner.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/members/${id}`,
      payload: { role },
    });

  it("a removed admin's endpoint is paused with its reason; an admin resumes it and owns it", async () => {
    const bea = await anotherAdmin("bea");
    const beas = await hookOf(bea.client);
    const mine = await hookOf(owner);
    await event();
    expect(beas.got()).toHaveLength(1);

    const removed = await owner.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${bea.id}`,
    });
    expect(removed.statusCode).toBe(204);
    await event();
    // Neither the removal (member.removed) nor the share after it reached Bea's endpoint.
    expect(beas.got()).toHaveLength(1);
    expect(types(mine)).toEqual(["share.created", "member.removed", "share.created"].sort());
    expect(await listed(beas.id)).toMatchObject({
      enabled: false,
      pausedReason: "creator_not_admin",
    });
    expect(await listed(mine.id)).toMatchObject({ enabled: true });
    expect(await listed(mine.id)).not.toHaveProperty("pausedReason");

    // Resumed by an admin: events reach it again, and it is that admin's now.
    const carl = await anotherAdmin("carl");
    const resumed = await patch(carl.client, beas.id, { enabled: true });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(json<Listed>(resumed).enabled).toBe(true);
    expect(json<Listed>(resumed)).not.toHaveProperty("pausedReason");
    await event();
    expect(beas.got()).toHaveLength(2);
    // Carl made member: the endpoint he took over pauses, Bea's old owner is not what counts.
    expect((await setRole(carl.id, "member")).statusCode).toBe(204);
    await event();
    expect(beas.got()).toHaveLength(2);
    expect(await listed(beas.id)).toMatchObject({
      enabled: false,
      pausedReason: "creator_not_admin",
    });
  });

  it("an admin made member, one who leaves, one who deletes the account: each one's endpoints pause", async () => {
    const demoted = await anotherAdmin("demoted");
    const leaving = await anotherAdmin("leaving");
    const deleting = await anotherAdmin("deleting");
    const hooks = {
      demoted: await hookOf(demoted.client),
      leaving: await hookOf(leaving.client),
      deleting: await hookOf(deleting.client),
    };
    const mine = await hookOf(owner);
    await event();
    for (const hook of Object.values(hooks)) expect(hook.got()).toHaveLength(1);

    expect((await setRole(demoted.id, "member")).statusCode).toBe(204);
    const left = await leaving.client.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${leaving.id}`,
    });
    expect(left.statusCode).toBe(204);
    const gone = await deleting.client.inject({
      method: "DELETE",
      url: "/api/v1/auth/me",
      payload: { password: GOOD_PASSWORD },
    });
    expect(gone.statusCode, gone.body).toBe(204);
    await event();

    // Each got what happened while its owner was an admin, nothing after.
    expect(types(hooks.demoted)).toEqual(["share.created"].sort());
    expect(types(hooks.leaving)).toEqual(["share.created", "member.role_changed"].sort());
    expect(types(hooks.deleting)).toEqual(
      ["share.created", "member.role_changed", "member.left"].sort(),
    );
    for (const hook of Object.values(hooks)) {
      expect(await listed(hook.id)).toMatchObject({
        enabled: false,
        pausedReason: "creator_not_admin",
      });
    }
    expect(types(mine)).toEqual(
      ["share.created", "member.role_changed", "member.left", "share.created"].sort(),
    );
    // Made admin again, the demoted admin's endpoint stays paused until an admin resumes it.
    expect((await setRole(demoted.id, "admin")).statusCode).toBe(204);
    expect(await listed(hooks.demoted.id)).toMatchObject({ enabled: false });
  });

  it("a paused endpoint's resume needs a recent proof of identity, as adding one does", async () => {
    const dora = await anotherAdmin("dora");
    const doras = await hookOf(dora.client);
    const eve = await anotherAdmin("eve");
    expect((await setRole(dora.id, "member")).statusCode).toBe(204);
    clock.advance(16 * 60 * 1000);
    const stale = await patch(eve.client, doras.id, { enabled: true });
    expect(stale.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(stale).error.code).toBe("recent_sign_in_required");
    expect(await listed(doras.id)).toMatchObject({ enabled: false });
    const proven = await patch(eve.client, doras.id, { enabled: true, password: GOOD_PASSWORD });
    expect(proven.statusCode, proven.body).toBe(200);
    // An admin's own pause has no reason, and lifting it needs no proof.
    expect((await patch(eve.client, doras.id, { enabled: false })).statusCode).toBe(200);
    expect(await listed(doras.id)).not.toHaveProperty("pausedReason");
    expect((await patch(eve.client, doras.id, { enabled: true })).statusCode).toBe(200);
  });
});
