/**
 * Mail to others is limited per sending account and per receiving address (issue 15, item 3):
 * invitations and e-mailed shares answer 429 mail_limit past MAIL_LIMIT_ACCOUNT or
 * MAIL_LIMIT_RECIPIENT per hour, and a refused request queues no mail. Real SMTP, manual clock.
 */
import { describe, expect, it } from "vitest";

import { seal } from "@hushlink/protocol";

import { uniqueEmail } from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, LiveClient, orgIdOfLive, signupLive } from "./helpers/live.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";

const HOUR = 3600_000;

describe.each(testDialects)("mail limits on %s", (dialect) => {
  const live = liveSuite(
    dialect,
    { MAIL_LIMIT_ACCOUNT: "4", MAIL_LIMIT_RECIPIENT: "2" },
    { clock: clockPerTest() },
  );
  const { t, smtp } = live;

  async function admin() {
    const client = await signupLive(live.base, uniqueEmail("sender"));
    return { client, orgId: await orgIdOfLive(client) };
  }

  const invite = (a: { client: LiveClient; orgId: string }, email: string) =>
    a.client.post(`/api/v1/orgs/${a.orgId}/invitations`, { email, role: "member" });

  async function mailsTo(email: string) {
    await t.services.mail.runOnce();
    return smtp.messages.filter((m) => m.envelopeTo.includes(email)).length;
  }

  it("an account sends at most MAIL_LIMIT_ACCOUNT invitations an hour; a refused one queues nothing", async () => {
    const host = await admin();
    const targets = Array.from({ length: 5 }, () => uniqueEmail("target"));
    for (const email of targets.slice(0, 4)) expect((await invite(host, email)).status).toBe(201);
    const refused = await invite(host, targets[4]!);
    expect(refused.status).toBe(429);
    expect(errorCodeOf(refused)).toBe("mail_limit");
    expect((refused.body.error as { retryAt: string }).retryAt).toBe(
      new Date(t.clock.now() + HOUR).toISOString(),
    );
    expect(await mailsTo(targets[4]!)).toBe(0);
    const pending = await host.client.get<{ items: { email: string }[] }>(
      `/api/v1/orgs/${host.orgId}/invitations`,
    );
    expect(pending.body.items.map((i) => i.email)).not.toContain(targets[4]);

    // Concurrent invitations past the limit: none slips through.
    t.clock.advance(HOUR);
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => invite(host, uniqueEmail("burst"))),
    );
    expect(burst.filter((a) => a.status === 201)).toHaveLength(4);
    expect(burst.filter((a) => a.status === 429)).toHaveLength(4);

    t.clock.advance(HOUR);
    expect((await invite(host, targets[4]!)).status).toBe(201);
    expect(await mailsTo(targets[4]!)).toBe(1);
  });

  it("an address receives at most MAIL_LIMIT_RECIPIENT such mails an hour, from all accounts", async () => {
    const victim = uniqueEmail("inbox");
    const senders = [await admin(), await admin(), await admin()];
    expect((await invite(senders[0]!, victim)).status).toBe(201);
    expect((await invite(senders[1]!, victim)).status).toBe(201);
    const third = await invite(senders[2]!, victim);
    expect(third.status).toBe(429);
    expect(errorCodeOf(third)).toBe("mail_limit");
    expect(await mailsTo(victim)).toBe(2);

    // Shares e-mailed to that address count toward the same limit.
    const sealed = await seal("for the inbox", { password: "pw-for-external", kdf: FAST_KDF });
    const share = await senders[2]!.client.post("/api/v1/shares", {
      ...sealed.body,
      expiresIn: 3600,
      recipients: [victim],
      allowExternalRecipients: true,
      delivery: { linkSecret: sealed.linkSecret },
    });
    expect(share.status).toBe(429);
    expect(errorCodeOf(share)).toBe("mail_limit");
    expect(await mailsTo(victim)).toBe(2);
  });

  it("password reset mails an address at most MAIL_LIMIT_RECIPIENT times an hour, answering 204 alike", async () => {
    const victim = uniqueEmail("reset-inbox");
    const anonymous = new LiveClient(live.base);
    await signupLive(live.base, victim);
    const before = await mailsTo(victim); // the verification mail counts toward the limit too
    for (let i = 0; i < 6; i += 1) {
      const asked = await anonymous.post("/api/v1/auth/password-reset", { email: victim });
      expect(asked.status).toBe(204);
    }
    expect(await mailsTo(victim)).toBe(2);
    expect(before).toBeLessThanOrEqual(2);
    const tokens = await t.database.db
      .selectFrom("email_tokens")
      .innerJoin("users", "users.id", "email_tokens.user_id")
      .select("email_tokens.token_hash")
      .where("users.email", "=", victim)
      .where("email_tokens.purpose", "=", "reset")
      .execute();
    expect(tokens).toHaveLength(2 - before);

    t.clock.advance(HOUR);
    expect((await anonymous.post("/api/v1/auth/password-reset", { email: victim })).status).toBe(
      204,
    );
    expect(await mailsTo(victim)).toBe(3);
  });

  it("the verification mail is sent again at most MAIL_LIMIT_RECIPIENT times an hour", async () => {
    // Whoever signed up with someone else's address can sign in, and ask again and again.
    const victim = uniqueEmail("resend-inbox");
    const holder = await signupLive(live.base, victim, { verified: false });
    const answers = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(await holder.post("/api/v1/auth/verify-email/resend"));
    expect(answers.map((a) => a.status)).toEqual([204, 429, 429, 429, 429]);
    expect(errorCodeOf(answers[1]!)).toBe("mail_limit");
    expect(await mailsTo(victim)).toBe(2);

    t.clock.advance(HOUR);
    expect((await holder.post("/api/v1/auth/verify-email/resend")).status).toBe(204);
    expect(await mailsTo(victim)).toBe(3);
  });

  it("one e-mailed share to more addresses than the account's hourly limit is refused whole", async () => {
    const host = await admin();
    const sealed = await seal("to many", { password: "pw-for-external", kdf: FAST_KDF });
    const recipients = Array.from({ length: 5 }, () => uniqueEmail("many"));
    const share = await host.client.post("/api/v1/shares", {
      ...sealed.body,
      expiresIn: 3600,
      recipients,
      allowExternalRecipients: true,
      delivery: { linkSecret: sealed.linkSecret },
    });
    expect(share.status).toBe(429);
    expect(errorCodeOf(share)).toBe("mail_limit");
    for (const email of recipients) expect(await mailsTo(email)).toBe(0);
    const stored = await t.database.db
      .selectFrom("shares")
      .select("id")
      .where("id", "=", sealed.body.id)
      .execute();
    expect(stored).toEqual([]);
  });
});
