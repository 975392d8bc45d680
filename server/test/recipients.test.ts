import { readFileSync } from "node:fs";

import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { derivePasswordKeys, linkSecretFrom, open, seal } from "@hushlink/protocol";

import { RETRY_DELAYS_MS } from "../src/features/mail/mail.service.js";
import { createTestApp } from "./helpers/app.js";
import { memberOf, newOrg, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM } from "./helpers/smtp.js";
import { createShare, json } from "./helpers/http.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";

async function sealed(text: string, password?: string) {
  const s = await seal(text, password ? { password, kdf: FAST_KDF } : {});
  return { ...s, body: { ...s.body, expiresIn: 3600 } };
}

describe.each(testDialects)("e-mail recipients on %s", (dialect) => {
  const { t, smtp } = liveSuite(dialect, { MAIL_FROM: TEST_MAIL_FROM }, { clock: clockPerTest() });
  let alice: Client;
  let bob: Client;
  let carol: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin: alice, orgId } = await newOrg(t, uniqueEmail("alice"), "Alice"));
    bob = await memberOfAlice(uniqueEmail("bob"), "Bob");
    carol = await memberOfAlice(uniqueEmail("carol"));
    await t.services.mail.runOnce(); // the sign-up verification mails
  });

  const memberOfAlice = (email: string, name?: string) => memberOf(t, orgId, email, name);

  const create = (c: Client | null, body: Record<string, unknown>) =>
    (c ? c.inject : t.app.inject.bind(t.app))({
      method: "POST",
      url: "/api/v1/shares",
      payload: body,
    } as never);

  /** The share's messages still in the mail outbox (sent or dropped ones leave it). */
  const outboxOf = (shareId: string) =>
    t.database.db.selectFrom("mail_outbox").select("id").where("share_id", "=", shareId).execute();

  async function deliveriesTo(email: string) {
    await t.services.mail.runOnce();
    return smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && (m.parsed.text ?? "").includes("/s#"),
    );
  }

  it("refuses every malformed recipient request with a clear 4xx", async () => {
    const s = await sealed("x");
    const base = { ...s.body, delivery: { linkSecret: s.linkSecret } };
    const cases: [Client | null, Record<string, unknown>, number, string][] = [
      [null, { ...base, recipients: [bob.email] }, 401, "login_required"],
      [alice, { ...base, recipients: ["outsider@example.test"] }, 400, "recipient_not_member"],
      [
        alice,
        { ...base, recipients: ["x@example.test"], allowExternalRecipients: true },
        400,
        "password_required",
      ],
      [
        alice,
        { ...base, recipients: [bob.email], allowExternalRecipients: true, access: "organization" },
        400,
        "invalid_request",
      ],
      [alice, { ...s.body, recipients: [bob.email] }, 400, "link_secret_required"],
      [
        alice,
        {
          ...base,
          delivery: { linkSecret: (await sealed("y")).linkSecret },
          recipients: [bob.email],
        },
        400,
        "invalid_link_secret",
      ],
      [alice, { ...base }, 400, "invalid_request"],
      [
        alice,
        { ...base, recipients: ["bob@example.test\r\nBcc: eve@example.test"] },
        400,
        "invalid_request",
      ],
      [alice, { ...base, recipients: ["Eve <eve@example.test>"] }, 400, "invalid_request"],
      [
        alice,
        {
          ...base,
          recipients: Array.from({ length: 51 }, (_, i) => `r${i}@example.test`),
          allowExternalRecipients: true,
        },
        400,
        "invalid_request",
      ],
    ];
    for (const [client, body, status, code] of cases) {
      const res = await create(client, body);
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(json(res), code).toMatchObject({ error: { code } });
    }
    const named = json<{ error: { message: string; email: string } }>(
      await create(alice, { ...base, recipients: [bob.email, "outsider@example.test"] }),
    );
    expect(named.error.email).toBe("outsider@example.test");
    expect(named.error.message).toContain("outsider@example.test");
    // Nothing was created or queued by any refusal.
    expect(
      await t.database.db.selectFrom("shares").select("id").where("id", "=", s.body.id).execute(),
    ).toEqual([]);
  });

  it("mails members a working link that only they can open, and keeps no link secret afterwards", async () => {
    const s = await sealed("the staging password");
    const res = await create(alice, {
      ...s.body,
      recipients: [bob.email.toUpperCase()],
      delivery: { linkSecret: s.linkSecret },
      name: "staging",
    });
    expect(res.statusCode).toBe(201);
    expect(json(await t.app.inject({ url: `/api/v1/shares/${s.body.id}` }))).toMatchObject({
      recipientsOnly: true,
      viewerAllowed: false,
    });
    // Carol is in Alice's organization but not a recipient: told before Reveal, not after.
    for (const [client, allowed] of [
      [carol, false],
      [alice, false],
      [bob, true],
    ] as const) {
      expect(
        json(await client.inject({ url: `/api/v1/shares/${s.body.id}` })),
        client.email,
      ).toMatchObject({ viewerAllowed: allowed });
    }

    const [message] = await deliveriesTo(bob.email);
    expect(message).toBeDefined();
    expect(message!.parsed.text).toContain("http://hushlink.test/s#");
    expect(message!.parsed.html).toBeTruthy();
    expect(message!.parsed.text).not.toContain("the staging password");
    // No password on this one: the mail does not mention one.
    expect(message!.parsed.text).not.toMatch(/password/i);
    const link = /http:\/\/hushlink\.test\/s#[A-Za-z0-9_-]+/.exec(message!.parsed.text ?? "")![0];
    expect(linkSecretFrom(link)).toBe(s.linkSecret);

    const list = json<{
      items: { id: string; recipients: { email: string; delivery: string }[] }[];
    }>(await alice.inject({ url: "/api/v1/shares" }));
    expect(list.items.find((i) => i.id === s.body.id)).toMatchObject({
      recipients: [{ email: bob.email, delivery: "sent" }],
      recipientsOnly: true,
    });

    const url = `/api/v1/shares/${s.body.id}/reveal`;
    const payload = { viewToken: s.body.viewToken };
    expect((await t.app.inject({ method: "POST", url, payload })).statusCode).toBe(401);
    const other = await carol.inject({ method: "POST", url, payload });
    expect(other.statusCode).toBe(403);
    expect(json(other)).toMatchObject({ error: { code: "not_allowed" } });
    const ok = await bob.inject({ method: "POST", url, payload });
    expect(ok.statusCode).toBe(200);
    expect(await open(s.linkSecret, json(ok))).toBe("the staging password");

    // The outbox entry went with the hand-off: the link secret is nowhere in the database.
    expect(await outboxOf(s.body.id)).toEqual([]);
    if (dialect === "sqlite") {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.database.db);
      const file = t.database.file!;
      for (const f of [file, `${file}-wal`]) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(f);
        } catch {
          continue;
        }
        expect(bytes.includes(s.linkSecret)).toBe(false);
      }
    }
  });

  it("mails external recipients, who open it with the password", async () => {
    const s = await sealed("for the contractor", "tulip-anchor-77");
    const external = uniqueEmail("contractor");
    const res = await create(alice, {
      ...s.body,
      recipients: [external],
      allowExternalRecipients: true,
      delivery: { linkSecret: s.linkSecret },
    });
    expect(res.statusCode).toBe(201);
    const [message] = await deliveriesTo(external);
    // Issue 25, defect 7: the mail says plainly that a password is needed, and that it is not here.
    expect(message!.parsed.text).toContain("You also need a password to open it.");
    expect(message!.parsed.text).not.toContain("tulip-anchor-77");
    expect(message!.parsed.text).not.toMatch(/If the secret is protected/);
    const link = /http:\/\/hushlink\.test\/s#[A-Za-z0-9_-]+/.exec(message!.parsed.text ?? "")![0];
    const linkSecret = linkSecretFrom(link);
    const meta = json<{ requiresPassword: boolean; recipientsOnly?: boolean }>(
      await t.app.inject({ url: `/api/v1/shares/${s.body.id}` }),
    );
    expect(meta.requiresPassword).toBe(true);
    expect(meta.recipientsOnly).toBeUndefined();
    expect(meta).not.toHaveProperty("viewerAllowed");
    const keys = await derivePasswordKeys(linkSecret, "tulip-anchor-77", FAST_KDF);
    const revealed = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${s.body.id}/reveal`,
      payload: { viewToken: s.body.viewToken, verifier: keys.verifier },
    });
    expect(revealed.statusCode).toBe(200);
    expect(await open(linkSecret, json(revealed), keys.passwordKey)).toBe("for the contractor");
  });

  it("retries while SMTP is down, then marks the delivery failed and drops the outbox entry", async () => {
    const s = await sealed("will not arrive");
    smtp.refuse({ at: "connect", code: 421 });
    try {
      expect(
        (
          await create(alice, {
            ...s.body,
            recipients: [carol.email],
            delivery: { linkSecret: s.linkSecret },
          })
        ).statusCode,
      ).toBe(201);
      await t.services.mail.runOnce();
      for (const delay of RETRY_DELAYS_MS) {
        const pending = await t.database.db
          .selectFrom("mail_outbox")
          .select("attempts")
          .where("share_id", "=", s.body.id)
          .execute();
        expect(pending).toHaveLength(1);
        t.clock.advance(delay);
        await t.services.mail.runOnce();
      }
      expect(await outboxOf(s.body.id)).toEqual([]);
      const list = json<{ items: { id: string; recipients: { delivery: string }[] }[] }>(
        await alice.inject({ url: "/api/v1/shares?limit=100" }),
      );
      expect(list.items.find((i) => i.id === s.body.id)?.recipients).toEqual([
        { email: carol.email, delivery: "failed" },
      ]);
      expect(await deliveriesTo(carol.email)).toEqual([]);
    } finally {
      smtp.refuse(null);
    }
  });

  it("deleting a share drops its unsent messages", async () => {
    const s = await sealed("never mind");
    smtp.refuse({ at: "connect", code: 421 });
    try {
      await create(alice, {
        ...s.body,
        recipients: [bob.email],
        delivery: { linkSecret: s.linkSecret },
      });
      expect((await outboxOf(s.body.id)).length).toBe(1);
      expect(
        (await alice.inject({ method: "DELETE", url: `/api/v1/shares/${s.body.id}` })).statusCode,
      ).toBe(204);
      expect(await outboxOf(s.body.id)).toEqual([]);
    } finally {
      smtp.refuse(null);
    }
  });
});

describe("without SMTP", () => {
  it("refuses recipients with email_not_configured and says so in the public config", async () => {
    const t = await createTestApp("sqlite");
    try {
      const a = await signup(t);
      const s = await sealed("x");
      const res = await createShare(a, {
        ...s.body,
        recipients: ["x@example.test"],
        allowExternalRecipients: true,
        delivery: { linkSecret: s.linkSecret },
      });
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: { code: "email_not_configured" } });
      expect(json(await t.app.inject({ url: "/api/v1/config" }))).toMatchObject({
        emailEnabled: false,
      });
    } finally {
      await t.close();
    }
  });
});
