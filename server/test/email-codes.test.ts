/**
 * E-mail codes for recipient links bound to an external address (issue 19): the code comes by
 * real SMTP, the reveal takes it in the statement that consumes the view, a code lives 10 minutes
 * and 5 tries, a link gets one a minute and five an hour, and nothing a recipient sees names
 * another recipient. The clock is the app's manual one: no test sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  derivePasswordKeys,
  deriveLinkKeys,
  open,
  sealForRecipients,
  type RecipientLinkBody,
} from "@hushlink/protocol";

import { clockPerTest, mailSuite } from "./helpers/suite.js";
import { memberOf, orgIdOf, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM } from "./helpers/smtp.js";
import { createShare, json } from "./helpers/http.js";

const PASSWORD = "harbor-lantern-904";
const MINUTE = 60_000;

interface Link extends RecipientLinkBody {
  verifier: string;
  passwordKey: Uint8Array;
}

describe.each(testDialects)("e-mail codes for external recipients on %s", (dialect) => {
  // Tests move the clock (code expiry, the per-minute limit): each moves its own.
  const { t, smtp } = mailSuite(dialect, { MAIL_FROM: TEST_MAIL_FROM }, { clock: clockPerTest() });
  let alice: Client;
  let bob: Client;
  /** Every code mailed, to check none reached the logs. */
  const codes: string[] = [];

  beforeAll(async () => {
    alice = await signup(t, uniqueEmail("alice"), "Alice");
    bob = await memberOf(t, await orgIdOf(alice), uniqueEmail("bob"), "Bob");
    await t.services.mail.runOnce();
  });
  afterAll(() => {
    const logs = t.logs.join("");
    for (const code of codes) expect(logs).not.toContain(`"${code}"`);
    for (const code of codes) expect(logs).not.toMatch(new RegExp(`\\b${code}\\b`));
  });

  /** A share with a link for each address, external ones allowed, all with the password. */
  async function share(emails: string[], extra: Record<string, unknown> = {}) {
    const sealed = await sealForRecipients("the vault key", emails, {
      password: PASSWORD,
      kdf: FAST_KDF,
    });
    const res = await createShare(alice, {
      id: sealed.id,
      recipientLinks: sealed.recipientLinks,
      expiresIn: 86_400,
      allowExternalRecipients: true,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    await t.services.mail.runOnce();
    const links = new Map<string, Link>();
    for (const l of sealed.recipientLinks) {
      const keys = await derivePasswordKeys(l.linkSecret, PASSWORD, FAST_KDF);
      links.set(l.email, { ...l, verifier: keys.verifier, passwordKey: keys.passwordKey });
    }
    return { id: sealed.id, links };
  }

  const requestCode = (link: { id: string; viewToken: string }) =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${link.id}/email-code`,
      payload: { viewToken: link.viewToken },
    });

  /** Requests a code, delivers the mail, and reads the code from the mail to that address. */
  async function codeFor(link: Link): Promise<string> {
    const before = smtp.messages.length;
    const res = await requestCode(link);
    expect(res.statusCode, res.body).toBe(200);
    await t.services.mail.runOnce();
    const mails = smtp.messages.slice(before).filter((m) => m.envelopeTo.includes(link.email));
    expect(mails).toHaveLength(1);
    const code = /Your code: (\d{6})/.exec(mails[0]!.parsed.text ?? "")?.[1];
    expect(code).toBeDefined();
    codes.push(code!);
    return code!;
  }

  const reveal = (link: Link, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${link.id}/reveal`,
      payload: { viewToken: link.viewToken, verifier: link.verifier, ...extra },
    });

  /** A link holder's delete (Destroy now): the link's view token, and what `headers` add. */
  const destroy = (link: Link, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: "DELETE",
      url: `/api/v1/shares/${link.id}`,
      headers: { "x-view-token": link.viewToken, ...headers },
    });

  it("asks for a code by mail, and opens the link with the code and the password", async () => {
    const ext = uniqueEmail("jane");
    const { links } = await share([ext, bob.email], { maxViews: 2 });
    const link = links.get(ext)!;

    const meta = json<Record<string, unknown>>(
      await t.app.inject({ url: `/api/v1/shares/${link.id}` }),
    );
    expect(meta).toMatchObject({
      requiresEmailCode: true,
      requiresPassword: true,
      maskedEmail: `j•••@example.test`,
    });
    // A member's link in the same share needs no code, and says so.
    const bobLink = links.get(bob.email)!;
    const bobMeta = json<Record<string, unknown>>(
      await t.app.inject({ url: `/api/v1/shares/${bobLink.id}` }),
    );
    expect(bobMeta.requiresEmailCode).toBeUndefined();
    expect(bobMeta.maskedEmail).toBe(`b•••@example.test`);

    const without = await reveal(link);
    expect(without.statusCode).toBe(403);
    expect(json(without)).toMatchObject({ error: { code: "email_code_required" } });

    const asked = await requestCode(link);
    expect(asked.statusCode, asked.body).toBe(200);
    const now = t.clock.now();
    expect(json(asked)).toEqual({
      expiresAt: new Date(now + 10 * MINUTE).toISOString(),
      resendAt: new Date(now + MINUTE).toISOString(),
    });
    const before = smtp.messages.length;
    await t.services.mail.runOnce();
    const [mail] = smtp.messages.slice(before);
    expect(mail?.envelopeTo).toEqual([ext]);
    const code = /Your code: (\d{6})/.exec(mail?.parsed.text ?? "")![1]!;
    codes.push(code);
    expect(mail?.parsed.subject).not.toContain(code);

    // The code without the password is not enough; the password without the code neither.
    const noPassword = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${link.id}/reveal`,
      payload: { viewToken: link.viewToken, emailCode: code },
    });
    expect(json(noPassword)).toMatchObject({ error: { code: "password_required" } });

    const ok = await reveal(link, { emailCode: code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(Object.keys(json(ok)).sort()).toEqual(["ciphertext", "iv", "viewsRemaining"]);
    expect(await open(link.linkSecret, json(ok), link.passwordKey)).toBe("the vault key");
    // A code opens one view: the second view of this two-view link needs a new one.
    const again = await reveal(link, { emailCode: code });
    expect(again.statusCode).toBe(403);
    expect(json(again)).toMatchObject({ error: { code: "email_code_expired" } });
    t.clock.advance(MINUTE);
    const second = await reveal(link, { emailCode: await codeFor(link) });
    expect(second.statusCode).toBe(200);
    expect(json(second)).toMatchObject({ viewsRemaining: 0 });
  });

  it("locks a code after 5 wrong tries, logs each, and leaves the other links' codes alone", async () => {
    const [a, b] = [uniqueEmail("ana"), uniqueEmail("ben")];
    const { id, links } = await share([a, b]);
    const [linkA, linkB] = [links.get(a)!, links.get(b)!];
    const codeA = await codeFor(linkA);
    const codeB = await codeFor(linkB);
    const wrong = codeA === "000000" ? "000001" : "000000";
    for (let left = 4; left >= 0; left--) {
      const res = await reveal(linkA, { emailCode: wrong });
      expect(res.statusCode).toBe(403);
      expect(json(res)).toMatchObject({
        error: { code: "wrong_email_code", attemptsRemaining: left },
      });
    }
    // The right code is dead now: a new one is needed.
    const locked = await reveal(linkA, { emailCode: codeA });
    expect(json(locked)).toMatchObject({ error: { code: "email_code_expired" } });
    expect((await reveal(linkB, { emailCode: codeB })).statusCode).toBe(200);
    t.clock.advance(MINUTE);
    expect((await reveal(linkA, { emailCode: await codeFor(linkA) })).statusCode).toBe(200);

    // Wrong codes used no password attempt, and the sender sees each of them.
    const log = json<{ items: { type: string; recipient?: string }[] }>(
      await alice.inject({ url: `/api/v1/shares/${id}/events` }),
    );
    const wrongTries = log.items.filter((e) => e.type === "wrong_email_code");
    expect(wrongTries).toHaveLength(5);
    for (const e of wrongTries) expect(e.recipient).toBe(a);
    expect(log.items.filter((e) => e.type === "wrong_password")).toHaveLength(0);
  });

  it("refuses a code after its 10 minutes", async () => {
    const ext = uniqueEmail("late");
    const { links } = await share([ext]);
    const link = links.get(ext)!;
    const code = await codeFor(link);
    t.clock.advance(10 * MINUTE);
    const res = await reveal(link, { emailCode: code });
    expect(res.statusCode).toBe(403);
    expect(json(res)).toMatchObject({ error: { code: "email_code_expired" } });
    // A wrong guess at an expired code takes no try and is no entry: there is nothing to guess.
    const guess = await reveal(link, { emailCode: code === "123456" ? "654321" : "123456" });
    expect(json(guess)).toMatchObject({ error: { code: "email_code_expired" } });
    const fresh = await codeFor(link);
    expect((await reveal(link, { emailCode: fresh })).statusCode).toBe(200);
  });

  it("gives exactly one success to 20 concurrent reveals with one right code on a one-view link", async () => {
    const ext = uniqueEmail("race");
    const { links } = await share([ext], { maxViews: 1 });
    const link = links.get(ext)!;
    const code = await codeFor(link);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => reveal(link, { emailCode: code })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.statusCode !== 200)) {
      expect([403, 410], r.body).toContain(r.statusCode);
    }
    // With views to spare, the code still opens one view only.
    const multi = uniqueEmail("race-multi");
    const many = (await share([multi], { maxViews: 10 })).links.get(multi)!;
    const manyCode = await codeFor(many);
    const raced = await Promise.all(
      Array.from({ length: 20 }, () => reveal(many, { emailCode: manyCode })),
    );
    expect(raced.filter((r) => r.statusCode === 200)).toHaveLength(1);
  });

  it("limits codes to one a minute and five an hour per link, each link on its own", async () => {
    const [x, y] = [uniqueEmail("lim"), uniqueEmail("other")];
    const { links } = await share([x, y]);
    const [link, other] = [links.get(x)!, links.get(y)!];
    const start = t.clock.now();
    expect((await requestCode(link)).statusCode).toBe(200);
    const soon = await requestCode(link);
    expect(soon.statusCode).toBe(429);
    expect(json(soon)).toMatchObject({
      error: { code: "email_code_limit", retryAt: new Date(start + MINUTE).toISOString() },
    });
    expect((await requestCode(other)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(MINUTE);
      expect((await requestCode(link)).statusCode).toBe(200);
    }
    t.clock.advance(MINUTE);
    const sixth = await requestCode(link);
    expect(sixth.statusCode).toBe(429);
    expect(json(sixth)).toMatchObject({
      error: { code: "email_code_limit", retryAt: new Date(start + 60 * MINUTE).toISOString() },
    });
    t.clock.advance(start + 60 * MINUTE - t.clock.now());
    expect((await requestCode(link)).statusCode).toBe(200);
    await t.services.mail.runOnce();
    for (const m of smtp.messages.filter((m) => m.envelopeTo.includes(x))) {
      const code = /Your code: (\d{6})/.exec(m.parsed.text ?? "")?.[1];
      if (code) codes.push(code);
    }
  });

  it("answers bad input with a clear 4xx", async () => {
    const ext = uniqueEmail("bad");
    const { id, links } = await share([ext, bob.email]);
    const link = links.get(ext)!;
    // A member's link, and a link-per-recipient share with codes switched off: no code to send.
    const member = await requestCode(links.get(bob.email)!);
    expect(member.statusCode).toBe(400);
    expect(json(member)).toMatchObject({ error: { code: "email_code_not_required" } });
    const off = uniqueEmail("off");
    const noCodes = (await share([off], { requireEmailCode: false })).links.get(off)!;
    expect(json(await requestCode(noCodes))).toMatchObject({
      error: { code: "email_code_not_required" },
    });
    expect((await reveal(noCodes)).statusCode).toBe(200);

    // A wrong view token answers as an unknown link does.
    const wrongToken = await requestCode({ id: link.id, viewToken: noCodes.viewToken });
    const unknown = await requestCode({ id: "A".repeat(22), viewToken: link.viewToken });
    expect(wrongToken.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(json(wrongToken)).toEqual(json(unknown));
    // The share's own id is no link.
    expect((await requestCode({ id, viewToken: link.viewToken })).statusCode).toBe(404);

    const malformed = await reveal(link, { emailCode: "12345" });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({ error: { code: "invalid_request" } });
    const noBody = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${link.id}/email-code`,
      payload: {},
    });
    expect(json(noBody)).toMatchObject({ error: { code: "invalid_request" } });

    // A link holder's delete follows the reveal's rule: the code too.
    const del = (headers: Record<string, string>) =>
      destroy(link, { "x-verifier": link.verifier, ...headers });
    expect(json(await del({}))).toMatchObject({ error: { code: "email_code_required" } });
    expect((await del({ "x-email-code": await codeFor(link) })).statusCode).toBe(204);
    const gone = await requestCode(link);
    expect(gone.statusCode).toBe(410);
    expect(json(gone)).toMatchObject({ error: { code: "share_gone", reason: "deleted" } });
  });

  it("lets a recipient who read with a code destroy the link with it (Destroy now), and no one else", async () => {
    const [ext, other] = [uniqueEmail("reader"), uniqueEmail("bystander")];
    const { links } = await share([ext, other], { maxViews: 3 });
    const [link, otherLink] = [links.get(ext)!, links.get(other)!];
    const code = await codeFor(link);
    expect((await reveal(link, { emailCode: code })).statusCode).toBe(200);
    const del = (headers: Record<string, string>) => destroy(link, headers);
    // The used code still needs the password with it, and a wrong code is still a wrong try.
    const noPassword = await del({ "x-email-code": code });
    expect(json(noPassword)).toMatchObject({ error: { code: "password_required" } });
    const guess = await del({
      "x-verifier": link.verifier,
      "x-email-code": code === "000000" ? "000001" : "000000",
    });
    expect(json(guess)).toMatchObject({
      error: { code: "wrong_email_code", attemptsRemaining: 4 },
    });
    const ok = await del({ "x-verifier": link.verifier, "x-email-code": code });
    expect(ok.statusCode, ok.body).toBe(204);
    expect(json(await reveal(link, { emailCode: code }))).toMatchObject({
      error: { code: "share_gone", reason: "deleted" },
    });
    // The other recipient's link is untouched.
    expect((await reveal(otherLink, { emailCode: await codeFor(otherLink) })).statusCode).toBe(200);

    // Past the code's 10 minutes, a delete needs a new code like a reveal.
    const late = uniqueEmail("late-reader");
    const lateLink = (await share([late], { maxViews: 3 })).links.get(late)!;
    const lateCode = await codeFor(lateLink);
    expect((await reveal(lateLink, { emailCode: lateCode })).statusCode).toBe(200);
    t.clock.advance(10 * MINUTE);
    const expired = await destroy(lateLink, {
      "x-verifier": lateLink.verifier,
      "x-email-code": lateCode,
    });
    expect(json(expired)).toMatchObject({ error: { code: "email_code_expired" } });
  });

  it("records every wrong code, by reveal or by delete, in the organization's audit log", async () => {
    const ext = uniqueEmail("audited");
    const { links } = await share([ext]);
    const link = links.get(ext)!;
    const code = await codeFor(link);
    const wrong = code === "000000" ? "000001" : "000000";
    const orgId = await orgIdOf(alice);
    const audit = async () =>
      (await alice.inject({ url: `/api/v1/orgs/${orgId}/audit` })).body
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; target: { id: string } | null });
    const before = (await audit()).length;
    await reveal(link, { emailCode: wrong });
    await reveal(link, { emailCode: wrong });
    await destroy(link, { "x-verifier": link.verifier, "x-email-code": wrong });
    const added = (await audit()).slice(before);
    expect(added.map((e) => [e.type, e.target?.id])).toEqual([
      ["share.wrong_email_code", link.id],
      ["share.wrong_email_code", link.id],
      ["share.wrong_email_code", link.id],
    ]);
    expect(JSON.stringify(added)).not.toContain(wrong);
    expect(JSON.stringify(added)).not.toContain(code);
  });

  it("shows a recipient nothing of the other recipients: metadata, reveal, code mail", async () => {
    const [p, q] = [uniqueEmail("pia"), uniqueEmail("quinn")];
    const { id, links } = await share([p, q, bob.email]);
    const mine = links.get(p)!;
    const others = [...links.values()].filter((l) => l.email !== p);
    const before = smtp.messages.length;
    const code = await codeFor(mine);
    const seen = [
      (await t.app.inject({ url: `/api/v1/shares/${mine.id}` })).body,
      (await reveal(mine, { emailCode: code })).body,
      ...smtp.messages.slice(before).map((m) => m.raw),
    ];
    for (const text of seen) {
      expect(text).not.toContain(id);
      for (const o of others) {
        expect(text).not.toContain(o.email);
        expect(text).not.toContain(o.id);
        expect(text).not.toContain(o.linkSecret);
        expect(text).not.toContain(o.viewToken);
        expect(text).not.toContain((await deriveLinkKeys(o.linkSecret)).id);
      }
    }
    // Nor does the mail carry a link or the recipient's own link secret.
    expect(seen[2]).not.toContain(mine.linkSecret);
    expect(seen[2]).not.toContain("/s#");
  });

  it("revoking a link that needs codes ends it everywhere; resending the others works within the mail limit (probe, session 28)", async () => {
    const [gone, kept] = [uniqueEmail("revoked"), uniqueEmail("kept")];
    const { id, links } = await share([gone, kept], { maxViews: 2 });
    const [goneLink, keptLink] = [links.get(gone)!, links.get(kept)!];
    // A code asked for before the revocation, and a second one still in the outbox then, which
    // the revocation drops with the link's other unsent mail.
    const code = await codeFor(goneLink);
    t.clock.advance(MINUTE);
    expect((await requestCode(goneLink)).statusCode).toBe(200);
    const items = json<{ items: { id: string; recipients: { id: string; email: string }[] }[] }>(
      await alice.inject({ url: "/api/v1/shares?limit=100" }),
    ).items;
    const recipients = items.find((i) => i.id === id)!.recipients;
    const lineOf = (email: string) => recipients.find((r) => r.email === email)!.id;
    const path = (email: string, what: string) =>
      `/api/v1/shares/${id}/recipients/${lineOf(email)}/${what}`;

    const revoked = await alice.inject({ method: "POST", url: path(gone, "revoke") });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const revokedGone = { error: { code: "share_gone", reason: "revoked" } };
    // The link answers 410 revoked to every caller: metadata, a new code, the code it had, a
    // link holder's delete; it consumes nothing and mails nothing.
    const mailsBefore = smtp.messages.length;
    const meta = await t.app.inject({ url: `/api/v1/shares/${goneLink.id}` });
    expect([meta.statusCode, json(meta)]).toMatchObject([410, revokedGone]);
    t.clock.advance(MINUTE);
    const newCode = await requestCode(goneLink);
    expect([newCode.statusCode, json(newCode)]).toMatchObject([410, revokedGone]);
    const withCode = await reveal(goneLink, { emailCode: code }); // Superseded anyway.
    expect([withCode.statusCode, json(withCode)]).toMatchObject([410, revokedGone]);
    const del = await destroy(goneLink, { "x-verifier": goneLink.verifier, "x-email-code": code });
    expect([del.statusCode, json(del)]).toMatchObject([410, revokedGone]);
    // Neither a resend nor a second revoke brings it back.
    const resendGone = await alice.inject({
      method: "POST",
      url: path(gone, "resend"),
      payload: { linkSecret: goneLink.linkSecret },
    });
    expect([resendGone.statusCode, json(resendGone)]).toMatchObject([410, revokedGone]);
    const again = await alice.inject({ method: "POST", url: path(gone, "revoke") });
    expect([again.statusCode, json(again)]).toMatchObject([410, revokedGone]);
    await t.services.mail.runOnce();
    expect(smtp.messages.slice(mailsBefore).filter((m) => m.envelopeTo.includes(gone))).toEqual([]);

    // The other link: the revoked one's secret is refused for it, its own is taken, and its
    // codes go on working after a resend.
    const wrong = await alice.inject({
      method: "POST",
      url: path(kept, "resend"),
      payload: { linkSecret: goneLink.linkSecret },
    });
    expect([wrong.statusCode, json(wrong)]).toMatchObject([
      400,
      { error: { code: "invalid_link_secret" } },
    ]);
    const resend = () =>
      alice.inject({
        method: "POST",
        url: path(kept, "resend"),
        payload: { linkSecret: keptLink.linkSecret },
      });
    expect((await resend()).statusCode).toBe(204);
    await t.services.mail.runOnce();
    expect((await reveal(keptLink, { emailCode: await codeFor(keptLink) })).statusCode).toBe(200);
    // Resends count toward MAIL_LIMIT_RECIPIENT (10 an hour per address: the create's mail and
    // the resends; codes have limits of their own): then 429 mail_limit, nothing more queued.
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) answers.push((await resend()).statusCode);
    expect(answers).toEqual([...Array<number>(8).fill(204), 429, 429]);
    const refused = await resend();
    expect(refused.statusCode).toBe(429);
    const limited = json<{ error: { code: string; retryAt: string } }>(refused).error;
    expect([limited.code, Number.isNaN(Date.parse(limited.retryAt))]).toEqual([
      "mail_limit",
      false,
    ]);
    const before = smtp.messages.length;
    await t.services.mail.runOnce();
    const sent = smtp.messages.slice(before).filter((m) => m.envelopeTo.includes(kept)).length;
    expect(sent).toBe(8);
  });
});
