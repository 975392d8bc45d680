/**
 * One link per recipient (F14, issue 19): each recipient's link has its own views, access-log
 * entries and tombstone; revoking one leaves the others working; deleting the share ends them all;
 * nothing a recipient can see names another recipient.
 */
import { beforeAll, describe, expect, it } from "vitest";

import {
  linkSecretFrom,
  open,
  openPayload,
  sealForRecipients,
  deriveLinkKeys,
  toBase64Url,
} from "@hushlink/protocol";

import { memberOf, orgIdOf, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM } from "./helpers/smtp.js";
import { download, makeFile, sha256, storedChunks, uploadFile } from "./helpers/files.js";
import { createShare, json } from "./helpers/http.js";
import { mailSuite } from "./helpers/suite.js";

interface Recipient {
  email: string;
  id?: string;
  delivery: string;
  status?: string;
  viewCount?: number;
  maxViews?: number | null;
  lastView?: { at: string; ip: string | null; userEmail?: string } | null;
}
interface ListItem {
  id: string;
  status: string;
  viewCount: number;
  linkPerRecipient?: true;
  recipients: Recipient[];
}

describe.each(testDialects)("a link per recipient on %s", (dialect) => {
  // The same three people get every share of this suite: more mail than an hour's limit.
  const { t, smtp } = mailSuite(dialect, {
    MAIL_FROM: TEST_MAIL_FROM,
    MAIL_LIMIT_RECIPIENT: "1000",
    MAIL_LIMIT_ACCOUNT: "1000",
  });
  let alice: Client;
  let people: Client[];

  beforeAll(async () => {
    alice = await signup(t, uniqueEmail("alice"), "Alice");
    const orgId = await orgIdOf(alice);
    people = [
      await memberOf(t, orgId, uniqueEmail("bob"), "Bob"),
      await memberOf(t, orgId, uniqueEmail("carol"), "Carol"),
      await memberOf(t, orgId, uniqueEmail("dave"), "Dave"),
    ];
    await t.services.mail.runOnce();
  });

  /** Creates a share for `emails`, sends its mail, and returns each recipient's mailed link. */
  async function share(
    text: string,
    emails: string[],
    extra: Record<string, unknown> = {},
    password?: string,
    delivered = true,
  ) {
    const sealed = await sealForRecipients(
      text,
      emails,
      password ? { password, kdf: FAST_KDF } : {},
    );
    const res = await createShare(alice, {
      id: sealed.id,
      recipientLinks: sealed.recipientLinks,
      expiresIn: 3600,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    await t.services.mail.runOnce();
    const links = new Map<string, string>();
    for (const email of delivered ? emails : []) {
      const mails = smtp.messages.filter((m) => m.envelopeTo.includes(email));
      const mine = sealed.recipientLinks.find((l) => l.email === email)!;
      const text = mails.map((m) => m.parsed.text ?? "").find((m) => m.includes(mine.linkSecret));
      expect(text, `the mail to ${email}`).toBeDefined();
      // The mail names no other recipient and carries no other recipient's link.
      for (const other of sealed.recipientLinks.filter((l) => l.email !== email)) {
        expect(text).not.toContain(other.email);
        expect(text).not.toContain(other.linkSecret);
      }
      const link = /http:\/\/hushlink\.test\/s#[A-Za-z0-9_-]+/.exec(text!)![0];
      links.set(email, linkSecretFrom(link));
    }
    return { id: sealed.id, links, sealed };
  }

  const reveal = async (c: Client, linkSecret: string) => {
    const keys = await deriveLinkKeys(linkSecret);
    return c.inject({
      method: "POST",
      url: `/api/v1/shares/${keys.id}/reveal`,
      payload: { viewToken: keys.viewToken },
    });
  };

  const listItem = async (id: string) =>
    json<{ items: ListItem[] }>(await alice.inject({ url: "/api/v1/shares?limit=100" })).items.find(
      (i) => i.id === id,
    );

  it("gives three recipients with maxViews 1 one view each; a second reveal on any link is 410", async () => {
    const emails = people.map((p) => p.email);
    const { id, links } = await share("the prod password", emails, { maxViews: 1, name: "prod" });
    for (const person of people) {
      const res = await reveal(person, links.get(person.email)!);
      expect(res.statusCode, res.body).toBe(200);
      expect(await open(links.get(person.email)!, json(res))).toBe("the prod password");
      expect(json(res)).toMatchObject({ viewsRemaining: 0 });
    }
    for (const person of people) {
      const again = await reveal(person, links.get(person.email)!);
      expect(again.statusCode).toBe(410);
      expect(json(again)).toMatchObject({ error: { code: "share_gone", reason: "viewed" } });
    }
    const item = await listItem(id);
    expect(item).toMatchObject({ linkPerRecipient: true, viewCount: 3, status: "viewed" });
    expect(item!.recipients).toHaveLength(3);
    for (const r of item!.recipients) {
      expect(r).toMatchObject({ delivery: "sent", status: "viewed", viewCount: 1, maxViews: 1 });
      expect(r.lastView).toMatchObject({ ip: "127.0.0.1", userEmail: r.email });
    }
    const log = json<{ items: { type: string; recipient?: string; userEmail?: string }[] }>(
      await alice.inject({ url: `/api/v1/shares/${id}/events` }),
    );
    const reveals = log.items.filter((e) => e.type === "revealed");
    expect(reveals.map((e) => e.recipient).sort()).toEqual([...emails].sort());
    for (const e of reveals) expect(e.userEmail).toBe(e.recipient);
  });

  it("revokes one recipient's link and leaves the other two working", async () => {
    const [bob, carol, dave] = people as [Client, Client, Client];
    const { id, links } = await share("the staging password", [bob.email, carol.email, dave.email]);
    const before = await listItem(id);
    const bobLine = before!.recipients.find((r) => r.email === bob.email)!;
    expect(bobLine).toMatchObject({ status: "active", viewCount: 0, lastView: null });
    const url = `/api/v1/shares/${id}/recipients/${bobLine.id}/revoke`;
    // Only the share's creator (or an admin) may revoke; to anyone else the share does not exist.
    expect((await carol.inject({ method: "POST", url })).statusCode).toBe(404);
    expect((await alice.inject({ method: "POST", url })).statusCode).toBe(204);
    const again = await alice.inject({ method: "POST", url });
    expect(again.statusCode).toBe(410);
    expect(json(again)).toMatchObject({ error: { code: "share_gone", reason: "revoked" } });

    const revoked = await reveal(bob, links.get(bob.email)!);
    expect(revoked.statusCode).toBe(410);
    expect(json(revoked)).toMatchObject({ error: { code: "share_gone", reason: "revoked" } });
    const bobKeys = await deriveLinkKeys(links.get(bob.email)!);
    expect(json(await t.app.inject({ url: `/api/v1/shares/${bobKeys.id}` }))).toMatchObject({
      error: { reason: "revoked" },
    });
    for (const person of [carol, dave]) {
      expect((await reveal(person, links.get(person.email)!)).statusCode).toBe(200);
    }
    const item = await listItem(id);
    expect(item!.status).toBe("viewed");
    expect(Object.fromEntries(item!.recipients.map((r) => [r.email, r.status]))).toEqual({
      [bob.email]: "revoked",
      [carol.email]: "viewed",
      [dave.email]: "viewed",
    });
    const log = json<{ items: { type: string; recipient?: string }[] }>(
      await alice.inject({ url: `/api/v1/shares/${id}/events` }),
    );
    expect(log.items.filter((e) => e.type === "revoked").map((e) => e.recipient)).toEqual([
      bob.email,
    ]);

    const unknown = await alice.inject({
      method: "POST",
      url: `/api/v1/shares/${id}/recipients/nope/revoke`,
    });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ error: { code: "recipient_not_found" } });
  });

  it("shows a recipient nothing of the others, and opens nothing through the share's own id", async () => {
    const [bob, carol] = people as [Client, Client];
    const { id, links } = await share("just for you two", [bob.email, carol.email], {
      maxViews: 2,
    });
    const bobKeys = await deriveLinkKeys(links.get(bob.email)!);
    const carolKeys = await deriveLinkKeys(links.get(carol.email)!);
    const meta = await bob.inject({ url: `/api/v1/shares/${bobKeys.id}` });
    expect(meta.statusCode).toBe(200);
    expect(json(meta)).toMatchObject({
      viewsRemaining: 2,
      recipientsOnly: true,
      viewerAllowed: true,
    });
    for (const text of [meta.body]) {
      expect(text).not.toContain(carol.email);
      expect(text).not.toContain(carolKeys.id);
      expect(text).not.toContain(id);
    }
    // Carol's own link is not Bob's to open, even signed in as a recipient of the same share.
    expect(json(await bob.inject({ url: `/api/v1/shares/${carolKeys.id}` }))).toMatchObject({
      viewerAllowed: false,
    });
    const crossed = await bob.inject({
      method: "POST",
      url: `/api/v1/shares/${carolKeys.id}/reveal`,
      payload: { viewToken: carolKeys.viewToken },
    });
    expect(crossed.statusCode).toBe(403);
    expect(crossed.body).not.toContain(bob.email);
    const opened = await reveal(bob, links.get(bob.email)!);
    expect(opened.statusCode).toBe(200);
    expect(Object.keys(json(opened)).sort()).toEqual(["ciphertext", "iv", "viewsRemaining"]);
    // Bob's view took nothing from Carol's link.
    expect(json(await carol.inject({ url: `/api/v1/shares/${carolKeys.id}` }))).toMatchObject({
      viewsRemaining: 2,
    });
    // The share's own id is no link.
    expect((await t.app.inject({ url: `/api/v1/shares/${id}` })).statusCode).toBe(404);
  });

  it("destroys every link when the share is deleted", async () => {
    const [bob, carol] = people as [Client, Client];
    const { id, links } = await share("short-lived", [bob.email, carol.email]);
    expect((await alice.inject({ method: "DELETE", url: `/api/v1/shares/${id}` })).statusCode).toBe(
      204,
    );
    for (const person of [bob, carol]) {
      const res = await reveal(person, links.get(person.email)!);
      expect(res.statusCode).toBe(410);
      expect(json(res)).toMatchObject({ error: { reason: "deleted" } });
    }
    expect(await listItem(id)).toMatchObject({ status: "deleted" });
  });

  it("gives external recipients a password each link checks on its own", async () => {
    const external = [uniqueEmail("ext1"), uniqueEmail("ext2")];
    const { links, sealed } = await share(
      "for the contractors",
      external,
      // Codes switched off: this is about the password alone (email-codes.test.ts has codes).
      { allowExternalRecipients: true, maxViews: 1, requireEmailCode: false },
      "tulip-anchor-77",
    );
    const [first, second] = sealed.recipientLinks as [
      (typeof sealed.recipientLinks)[0],
      (typeof sealed.recipientLinks)[0],
    ];
    expect(first.password!.verifier).not.toBe(second.password!.verifier);
    const { derivePasswordKeys } = await import("@hushlink/protocol");
    const secret = links.get(first.email)!;
    const keys = await derivePasswordKeys(secret, "tulip-anchor-77", FAST_KDF);
    const wrong = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${first.id}/reveal`,
      payload: { viewToken: first.viewToken, verifier: second.password!.verifier },
    });
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong)).toMatchObject({ error: { code: "wrong_password" } });
    const ok = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${first.id}/reveal`,
      payload: { viewToken: first.viewToken, verifier: keys.verifier },
    });
    expect(ok.statusCode).toBe(200);
    expect(await open(secret, json(ok), keys.passwordKey)).toBe("for the contractors");
  });

  it("mails the sender a receipt per recipient view, naming that recipient", async () => {
    const [bob, carol] = people as [Client, Client];
    const { id, links } = await share("receipts please", [bob.email, carol.email], {
      notifyOnView: true,
      name: "prod db",
    });
    const receipts = () =>
      smtp.messages.filter(
        (m) => m.envelopeTo.includes(alice.email) && m.parsed.subject?.includes("was viewed"),
      );
    const before = receipts().length;
    expect((await reveal(bob, links.get(bob.email)!)).statusCode).toBe(200);
    await t.services.mail.runOnce();
    const [receipt] = receipts().slice(before);
    expect(receipt?.parsed.text).toContain(`The link you sent to ${bob.email}`);
    expect(receipt?.parsed.text).toContain("prod db");
    expect(receipt?.parsed.text).toContain("127.0.0.1");
    expect(receipt?.parsed.text).not.toContain(carol.email);
    expect(receipts()).toHaveLength(before + 1);
    const item = await listItem(id);
    const lines = Object.fromEntries(item!.recipients.map((r) => [r.email, r]));
    expect(lines[bob.email]).toMatchObject({ viewCount: 1, lastView: { userEmail: bob.email } });
    expect(lines[carol.email]).toMatchObject({ viewCount: 0, lastView: null });
    expect((await reveal(carol, links.get(carol.email)!)).statusCode).toBe(200);
    await t.services.mail.runOnce();
    expect(receipts()).toHaveLength(before + 2);
    expect(receipts().at(-1)?.parsed.text).toContain(`The link you sent to ${carol.email}`);
  });

  it("resends a recipient's e-mail, and retries a failed one, with the link secret the sender kept", async () => {
    const [bob, carol] = people as [Client, Client];
    smtp.refuse({ at: "rcpt", code: 550 });
    let created;
    try {
      created = await share("again please", [bob.email, carol.email], {}, undefined, false);
    } finally {
      smtp.refuse(null);
    }
    const { id, sealed } = created;
    const line = async (email: string) =>
      (await listItem(id))!.recipients.find((r) => r.email === email)!;
    expect(await line(bob.email)).toMatchObject({ delivery: "failed" });
    const bobLink = sealed.recipientLinks.find((l) => l.email === bob.email)!;
    const carolLink = sealed.recipientLinks.find((l) => l.email === carol.email)!;
    const url = `/api/v1/shares/${id}/recipients/${(await line(bob.email)).id}/resend`;
    // Carol's link secret is not Bob's link: refused, nothing sent.
    const wrong = await alice.inject({
      method: "POST",
      url,
      payload: { linkSecret: carolLink.linkSecret },
    });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong)).toMatchObject({ error: { code: "invalid_link_secret" } });
    expect(
      (await carol.inject({ method: "POST", url, payload: { linkSecret: bobLink.linkSecret } }))
        .statusCode,
    ).toBe(404);
    const ok = await alice.inject({
      method: "POST",
      url,
      payload: { linkSecret: bobLink.linkSecret },
    });
    expect(ok.statusCode, ok.body).toBe(204);
    expect(await line(bob.email)).toMatchObject({ delivery: "queued" });
    await t.services.mail.runOnce();
    expect(await line(bob.email)).toMatchObject({ delivery: "sent" });
    const mailed = smtp.messages.filter(
      (m) => m.envelopeTo.includes(bob.email) && (m.parsed.text ?? "").includes(bobLink.linkSecret),
    );
    expect(mailed).toHaveLength(1);
    expect((await reveal(bob, bobLink.linkSecret)).statusCode).toBe(200);
    // Resending a link that is gone is refused with why.
    const gone = await alice.inject({
      method: "POST",
      url,
      payload: { linkSecret: bobLink.linkSecret },
    });
    expect(gone.statusCode).toBe(410);
    expect(json(gone)).toMatchObject({ error: { code: "share_gone", reason: "viewed" } });
    expect(t.logs.join("")).not.toContain(bobLink.linkSecret);
  });

  it("lists a share as active only while one of its links is (status filter)", async () => {
    const [bob, carol] = people as [Client, Client];
    const ids = async (status: string) =>
      json<{ items: ListItem[] }>(
        await alice.inject({ url: `/api/v1/shares?status=${status}&limit=100` }),
      ).items.map((i) => i.id);
    // Used up: both links viewed.
    const viewed = await share("all used", [bob.email, carol.email], { maxViews: 1 });
    // Revoked: every link taken back, none viewed.
    const revoked = await share("all revoked", [bob.email, carol.email]);
    // Still open: one link used, one live.
    const open = await share("one left", [bob.email, carol.email], { maxViews: 1 });
    for (const email of [bob.email, carol.email]) {
      const person = people.find((p) => p.email === email)!;
      expect((await reveal(person, viewed.links.get(email)!)).statusCode).toBe(200);
    }
    expect((await reveal(bob, open.links.get(bob.email)!)).statusCode).toBe(200);
    for (const r of (await listItem(revoked.id))!.recipients) {
      const url = `/api/v1/shares/${revoked.id}/recipients/${r.id}/revoke`;
      expect((await alice.inject({ method: "POST", url })).statusCode).toBe(204);
    }
    const active = await ids("active");
    expect(active).toContain(open.id);
    expect(active).not.toContain(viewed.id);
    expect(active).not.toContain(revoked.id);
    const viewedIds = await ids("viewed");
    expect(viewedIds).toContain(viewed.id);
    expect(viewedIds).not.toContain(open.id);
    expect(viewedIds).not.toContain(revoked.id);
    // The filters agree with the status each item is listed with.
    expect(await listItem(viewed.id)).toMatchObject({ status: "viewed" });
    expect(await listItem(open.id)).toMatchObject({ status: "active" });
    expect((await listItem(revoked.id))!.status).not.toBe("active");
  });

  it("uploads a file once, and every recipient's link downloads the same file", async () => {
    const [bob, carol] = people as [Client, Client];
    const file = await makeFile(1024 * 1024 + 5);
    const meta = {
      blob: file.blobId,
      name: "report.pdf",
      type: "application/pdf",
      size: file.plaintext.length,
      key: toBase64Url(file.key),
    };
    const sealed = await sealForRecipients("the report", [bob.email, carol.email], {
      files: [meta],
    });
    expect(sealed.blobs).toEqual([file.declaration]);
    const res = await createShare(alice, {
      id: sealed.id,
      recipientLinks: sealed.recipientLinks,
      blobs: sealed.blobs,
      expiresIn: 3600,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { uploadToken } = json<{ uploadToken: string }>(res);
    const links = new Map(sealed.recipientLinks.map((l) => [l.email, l]));
    // Not ready before every chunk is in: a reveal takes no view.
    const early = await bob.inject({
      method: "POST",
      url: `/api/v1/shares/${links.get(bob.email)!.id}/reveal`,
      payload: { viewToken: links.get(bob.email)!.viewToken },
    });
    expect(json(early)).toMatchObject({ error: { code: "upload_incomplete" } });
    // The upload token opens the share's upload only, never a link's.
    const [first] = file.chunks;
    const toLink = await t.app.inject({
      method: "PUT",
      url: `/api/v1/shares/${links.get(bob.email)!.id}/blobs/${file.blobId}/0`,
      headers: { "content-type": "application/octet-stream", "x-upload-token": uploadToken },
      payload: Buffer.from(first!.bytes),
    });
    expect(toLink.statusCode).toBe(404);
    await uploadFile(t, sealed.id, uploadToken, file);

    const encrypted = Buffer.concat(file.chunks.map((c) => Buffer.from(c.bytes)));
    for (const person of [bob, carol]) {
      const link = links.get(person.email)!;
      const status = json<{ ready: boolean }>(
        await person.inject({ url: `/api/v1/shares/${link.id}` }),
      );
      expect(status.ready).toBe(true);
      const revealed = await person.inject({
        method: "POST",
        url: `/api/v1/shares/${link.id}/reveal`,
        payload: { viewToken: link.viewToken },
      });
      expect(revealed.statusCode, revealed.body).toBe(200);
      const answer = json<{
        ciphertext: string;
        iv: string;
        blobs: { id: string; size: number }[];
        downloadToken: string;
      }>(revealed);
      expect(answer.blobs).toEqual([file.declaration]);
      const payload = await openPayload(link.linkSecret, answer);
      expect(payload.files).toEqual([meta]);
      const got = await download(t, {
        id: link.id,
        blobId: file.blobId,
        token: answer.downloadToken,
      });
      expect(got.statusCode).toBe(200);
      expect(sha256(got.rawPayload)).toBe(sha256(encrypted));
      // The download token is this link's: another link's id does not take it.
      const other = [...links.values()].find((l) => l.email !== person.email)!;
      const crossed = await download(t, {
        id: other.id,
        blobId: file.blobId,
        token: answer.downloadToken,
      });
      expect(crossed.statusCode).toBe(404);
    }
    // Stored once, under the share.
    expect((await storedChunks(t, sealed.id)).rows).toBe(file.chunks.length);
    for (const link of links.values()) expect((await storedChunks(t, link.id)).rows).toBe(0);
  });

  it("consumes a one-view link exactly once under 20 concurrent reveals", async () => {
    const [bob] = people as [Client];
    const { links } = await share("once", [bob.email], { maxViews: 1 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => reveal(bob, links.get(bob.email)!)),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 410)).toHaveLength(19);
  });

  it("refuses every malformed recipient-links create with a clear 4xx", async () => {
    const [bob, carol] = people as [Client, Client];
    const good = await sealForRecipients("x", [bob.email, carol.email]);
    const other = await sealForRecipients("y", [bob.email]);
    const withPw = await sealForRecipients("z", [bob.email], {
      password: "pw-123456",
      kdf: FAST_KDF,
    });
    const base = { id: good.id, expiresIn: 3600 };
    const [l1, l2] = good.recipientLinks as [
      (typeof good.recipientLinks)[0],
      (typeof good.recipientLinks)[0],
    ];
    const cases: [Client | null, Record<string, unknown>, number, string][] = [
      [null, { ...base, recipientLinks: [l1] }, 401, "login_required"],
      [alice, { ...base, recipientLinks: [l1], viewToken: l1.viewToken }, 400, "invalid_request"],
      [alice, { ...base, recipientLinks: [l1], recipients: [bob.email] }, 400, "invalid_request"],
      [
        alice,
        { ...base, recipientLinks: [l1, { ...l2, email: l1.email }] },
        400,
        "invalid_request",
      ],
      [alice, { ...base, recipientLinks: [l1, { ...l2, id: l1.id }] }, 400, "invalid_request"],
      [alice, { ...base, id: l1.id, recipientLinks: [l1] }, 400, "invalid_request"],
      [
        alice,
        { ...base, recipientLinks: [{ ...l1, linkSecret: other.recipientLinks[0]!.linkSecret }] },
        400,
        "invalid_link_secret",
      ],
      [alice, { ...base, recipientLinks: [l1, withPw.recipientLinks[0]!] }, 400, "invalid_request"],
      [alice, { ...base, recipientLinks: [] }, 400, "invalid_request"],
      // 15 bytes: shorter than the AES-GCM tag, so it can never decrypt.
      [
        alice,
        { ...base, recipientLinks: [l1, { ...l2, ciphertext: "A".repeat(20) }] },
        400,
        "invalid_request",
      ],
      [alice, { id: good.id, expiresIn: 3600 }, 400, "invalid_request"],
    ];
    for (const [client, body, status, code] of cases) {
      const res = await (client ?? { inject: t.app.inject.bind(t.app) }).inject({
        method: "POST",
        url: "/api/v1/shares",
        payload: body,
      } as never);
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(json(res), code).toMatchObject({ error: { code } });
    }
    const outsider = await sealForRecipients("x", ["out@example.test"]);
    const res = await createShare(alice, {
      id: outsider.id,
      expiresIn: 3600,
      recipientLinks: outsider.recipientLinks,
    });
    expect(json(res)).toMatchObject({ error: { code: "recipient_not_member" } });
    const external = await createShare(alice, {
      id: outsider.id,
      expiresIn: 3600,
      recipientLinks: outsider.recipientLinks,
      allowExternalRecipients: true,
    });
    expect(json(external)).toMatchObject({ error: { code: "password_required" } });
    // No link secret reached the logs.
    for (const l of good.recipientLinks) expect(t.logs.join("")).not.toContain(l.linkSecret);
  });
});
