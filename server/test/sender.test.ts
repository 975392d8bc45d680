/**
 * The sender shown before Reveal (extension of GET /api/v1/shares/{id}): only when a signed-in
 * member created the share with `showSender`, on both databases.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, getShare, json } from "./helpers/http.js";

describe.each(testDialects)("the sender before Reveal on %s", (dialect) => {
  const t = suiteApp(dialect);
  let alice: Client;
  let orgName: string;

  beforeAll(async () => {
    alice = await signup(t, uniqueEmail("alice"), "Alice Admin");
    const me = json<{ orgs: { name: string }[] }>(
      await alice.inject({ method: "GET", url: "/api/v1/auth/me" }),
    );
    orgName = me.orgs[0]!.name;
  });

  async function createAs(client: Client | null, body: Record<string, unknown>) {
    const share = await buildShare();
    const payload = { ...share.body, ...body };
    const res = client ? await createShare(client, payload) : await createShare(t.app, payload);
    expect(res.statusCode, res.body).toBe(201);
    return share.body.id;
  }

  it("names the member and organization when the creator asked for it", async () => {
    const id = await createAs(alice, { showSender: true });
    const meta = json(await getShare(t.app, id));
    expect(meta.sender).toEqual({ name: "Alice Admin", orgName });
  });

  it("says nothing of the sender by default or when turned off", async () => {
    for (const body of [{}, { showSender: false }]) {
      const id = await createAs(alice, body);
      const meta = json(await getShare(t.app, id));
      expect(meta).not.toHaveProperty("sender");
      expect(JSON.stringify(meta)).not.toContain("Alice");
    }
  });

  it("an anonymous creator has no one to name: accepted, nothing shown", async () => {
    const id = await createAs(null, { showSender: true });
    expect(json(await getShare(t.app, id))).not.toHaveProperty("sender");
  });

  it("a member without a name is named by address", async () => {
    const email = uniqueEmail("noname");
    const bob = await signup(t, email);
    const id = await createAs(bob, { showSender: true });
    expect(json<{ sender: { name: string } }>(await getShare(t.app, id)).sender.name).toBe(email);
  });

  it("refuses a showSender that is not a boolean", async () => {
    const share = await buildShare();
    const res = await createShare(alice, { ...share.body, showSender: "yes" });
    expect(res.statusCode).toBe(400);
  });
});
