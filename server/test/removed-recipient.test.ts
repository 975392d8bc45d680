/**
 * A share e-mailed to members only (external recipients off, F3) stays inside the organization:
 * a recipient who is removed from it, or who leaves, no longer opens the links sent to them while
 * they were a member, by session or API token, nor deletes them with the view token, and the
 * metadata says so before Reveal. An account made later at a deleted recipient's address is no
 * member either. Members who stay keep opening theirs.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { deriveLinkKeys, seal, sealForRecipients } from "@hushlink/protocol";

import {
  GOOD_PASSWORD,
  memberOf,
  newOrg,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM } from "./helpers/smtp.js";
import { createShare, json } from "./helpers/http.js";
import { mailSuite } from "./helpers/suite.js";

describe.each(testDialects)("a removed member's e-mailed shares on %s", (dialect) => {
  const { t } = mailSuite(dialect, { MAIL_FROM: TEST_MAIL_FROM });
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("admin"), "Admin"));
  });

  /** A share with a link per recipient and one shared link, both for `emails`; their keys. */
  async function sharesFor(emails: string[]) {
    const perLink = await sealForRecipients("per link", emails);
    let res = await createShare(admin, {
      id: perLink.id,
      recipientLinks: perLink.recipientLinks,
      expiresIn: 3600,
      maxViews: 5,
    });
    expect(res.statusCode, res.body).toBe(201);
    const shared = await seal("shared link");
    res = await createShare(admin, {
      ...shared.body,
      expiresIn: 3600,
      maxViews: 5,
      recipients: emails,
      delivery: { linkSecret: shared.linkSecret },
    });
    expect(res.statusCode, res.body).toBe(201);
    const linkOf = (email: string) =>
      deriveLinkKeys(perLink.recipientLinks.find((l) => l.email === email)!.linkSecret);
    return { linkOf, shared: await deriveLinkKeys(shared.linkSecret) };
  }

  const tokenOf = async (c: Client) => {
    const res = await c.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "script", password: GOOD_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(201);
    const bearer = json<{ token: string }>(res).token;
    return (path: string, payload: Record<string, unknown>) =>
      t.app.inject({
        method: "POST",
        url: path,
        headers: { authorization: `Bearer ${bearer}` },
        payload,
      });
  };

  const revealAs = (c: Client, keys: { id: string; viewToken: string }) =>
    c.inject({
      method: "POST",
      url: `/api/v1/shares/${keys.id}/reveal`,
      payload: { viewToken: keys.viewToken },
    });

  it("refuses the links to a member once removed, by session, token and view-token delete", async () => {
    const stays = await memberOf(t, orgId, uniqueEmail("stays"));
    const goes = await memberOf(t, orgId, uniqueEmail("goes"));
    const bearer = await tokenOf(goes);
    const { linkOf, shared } = await sharesFor([stays.email, goes.email]);
    const own = await linkOf(goes.email);
    // While a member, the recipient may open both.
    expect(json(await goes.inject({ url: `/api/v1/shares/${own.id}` }))).toMatchObject({
      viewerAllowed: true,
    });

    const removed = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, goes.email)}`,
    });
    expect(removed.statusCode).toBe(204);

    for (const keys of [own, shared]) {
      const meta = await goes.inject({ url: `/api/v1/shares/${keys.id}` });
      expect(json(meta)).toMatchObject({ recipientsOnly: true, viewerAllowed: false });
      const bySession = await revealAs(goes, keys);
      expect(bySession.statusCode, bySession.body).toBe(403);
      expect(json(bySession)).toMatchObject({ error: { code: "not_allowed" } });
      expect(bySession.body).not.toContain("ciphertext");
      const byToken = await bearer(`/api/v1/shares/${keys.id}/reveal`, {
        viewToken: keys.viewToken,
      });
      expect(byToken.statusCode, byToken.body).toBe(403);
      const deleted = await goes.inject({
        method: "DELETE",
        url: `/api/v1/shares/${keys.id}`,
        headers: { "x-view-token": keys.viewToken },
      });
      expect(deleted.statusCode, deleted.body).toBe(403);
    }
    // Nothing was used up: the member who stays opens theirs and the shared link.
    for (const keys of [await linkOf(stays.email), shared]) {
      const res = await revealAs(stays, keys);
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toMatchObject({ viewsRemaining: 4 });
    }
  });

  it("refuses a member who left, and an account made later at a deleted recipient's address", async () => {
    const leaves = await memberOf(t, orgId, uniqueEmail("leaves"));
    const deleted = await memberOf(t, orgId, uniqueEmail("deleted"));
    const { linkOf, shared } = await sharesFor([leaves.email, deleted.email]);

    const left = await leaves.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, leaves.email)}`,
    });
    expect(left.statusCode).toBe(204);
    for (const keys of [await linkOf(leaves.email), shared]) {
      expect((await revealAs(leaves, keys)).statusCode).toBe(403);
    }

    const gone = await deleted.inject({
      method: "DELETE",
      url: "/api/v1/auth/me",
      payload: { password: GOOD_PASSWORD },
    });
    expect(gone.statusCode, gone.body).toBe(204);
    const newcomer = await signup(t, deleted.email);
    for (const keys of [await linkOf(deleted.email), shared]) {
      const res = await revealAs(newcomer, keys);
      expect(res.statusCode, res.body).toBe(403);
      expect(json(res)).toMatchObject({ error: { code: "not_allowed" } });
    }
  });
});
