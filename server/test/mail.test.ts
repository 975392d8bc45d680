/**
 * The outbox against a real SMTP server on 127.0.0.1 and a real database (SQLite, and PostgreSQL
 * when TEST_DATABASE_URL is set). The service is built directly; no HTTP is involved. Time is an
 * injected clock, so a whole hour of back-off runs without sleeping.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { deriveLinkKeys, linkSecretFrom, seal, shareLink } from "@hushlink/protocol";

import { createManualClock, type ManualClock } from "../src/clock.js";
import { checkpoint, writeTransaction, type DatabaseHandle } from "../src/db/database.js";
import * as repo from "../src/features/mail/mail.repository.js";
import { MAIL_KINDS, type MailMessage } from "../src/features/mail/mail.schemas.js";
import {
  createMailService,
  LEASE_MS,
  MailInputError,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  type MailEvent,
  type MailService,
  type MailServiceDeps,
} from "../src/features/mail/mail.service.js";
import { escapeHtml } from "../src/features/mail/templates.js";
import { sealWithRootKey } from "../src/lib/sealing.js";
import { captureLogger, TEST_ROOT_KEY, testConfig } from "./helpers/app.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import { freePort } from "./helpers/server-process.js";
import { startSmtpServer, TEST_MAIL_FROM, type TestSmtpServer } from "./helpers/smtp.js";

const PUBLIC_URL = "http://hushlink.test";

/** A share as a browser would make it: the link secret never leaves the test except in the link. */
async function newShareLink() {
  const sealed = await seal(`secret ${Math.random().toString(36).slice(2)}`);
  return {
    linkSecret: sealed.linkSecret,
    id: sealed.body.id,
    url: shareLink(PUBLIC_URL, sealed.linkSecret),
  };
}

let addressCounter = 0;
const newAddress = () =>
  `person${++addressCounter}.${Math.random().toString(36).slice(2, 8)}@example.org`;

function fileContains(path: string, needle: string): boolean {
  try {
    return readFileSync(path).includes(Buffer.from(needle, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

function linksIn(text: string): string[] {
  return text.match(/http:\/\/hushlink\.test\/\S+/g) ?? [];
}

describe.each(testDialects)("mail outbox on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let testDb: TestDatabase;
  let db: DatabaseHandle;
  let clock: ManualClock;
  const logs: string[] = [];
  /** Everything that must never reach a log: addresses, links, link secrets. */
  const neverLogged: string[] = [];
  const services: MailService[] = [];

  function service(overrides: Partial<MailServiceDeps> = {}, env: Record<string, string> = {}) {
    const config = testConfig(
      { PUBLIC_URL, SMTP_URL: smtp.url, MAIL_FROM: TEST_MAIL_FROM, ...env },
      testDb.dataDir,
    );
    const created = createMailService({
      config,
      database: db,
      rootKey: TEST_ROOT_KEY,
      clock,
      logger: captureLogger(logs),
      ...overrides,
    });
    services.push(created);
    return created;
  }

  /** Queues in a write transaction of its own, as a feature would inside its change. */
  function enqueue(mail: MailService, message: MailMessage, on: DatabaseHandle = db) {
    neverLogged.push(message.to);
    for (const value of Object.values(message.data)) {
      if (typeof value === "string" && value.startsWith("http")) neverLogged.push(value);
    }
    return writeTransaction(on, (trx) => mail.enqueue(trx, message));
  }

  const outboxRows = () => db.db.selectFrom("mail_outbox").selectAll().execute();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    testDb = await createTestDatabase(dialect);
    db = testDb.handle;
  });

  beforeEach(async () => {
    clock = createManualClock();
    smtp.messages.length = 0;
    smtp.refuse(null);
    await db.db.deleteFrom("mail_outbox").execute();
  });

  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
  });

  afterAll(async () => {
    const text = logs.join("");
    expect(text).toContain('"msg":"mail sent"');
    for (const value of neverLogged) expect(text).not.toContain(value);
    // Nor any part of an address: the domain of every recipient is the same here.
    expect(text).not.toContain("example.org");
    await smtp.stop();
    await testDb.drop();
  });

  describe("each kind of message", () => {
    // In the order of MAIL_KINDS, which names them.
    const cases: Array<
      () => Promise<{ message: MailMessage; link: string; linkSecret?: string; shareId?: string }>
    > = [
      async () => {
        const share = await newShareLink();
        return {
          message: {
            kind: "share_delivery",
            to: newAddress(),
            shareId: share.id,
            ref: "recipient-1",
            data: {
              linkUrl: share.url,
              orgName: "Acme",
              senderName: "Ada",
              expiresAt: clock.now() + 3600_000,
            },
          },
          link: share.url,
          linkSecret: share.linkSecret,
          shareId: share.id,
        };
      },
      () =>
        Promise.resolve({
          message: {
            kind: "share_viewed",
            to: newAddress(),
            data: {
              shareName: "db password",
              viewedAt: new Date(clock.now()).toISOString(),
              ip: "::ffff:203.0.113.7",
              dashboardUrl: `${PUBLIC_URL}/app`,
            },
          },
          link: `${PUBLIC_URL}/app`,
        }),
      () =>
        Promise.resolve({
          message: {
            kind: "invitation",
            to: newAddress(),
            data: {
              orgName: "Acme & Co <Ltd>",
              inviterName: "Ada",
              acceptUrl: `${PUBLIC_URL}/invitations/${"i".repeat(43)}`,
            },
          },
          link: `${PUBLIC_URL}/invitations/${"i".repeat(43)}`,
        }),
      () =>
        Promise.resolve({
          message: {
            kind: "verify_email",
            to: newAddress(),
            data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=${"v".repeat(43)}` },
          },
          link: `${PUBLIC_URL}/verify-email?token=${"v".repeat(43)}`,
        }),
      () =>
        Promise.resolve({
          message: {
            kind: "password_reset",
            to: newAddress(),
            data: { resetUrl: `${PUBLIC_URL}/reset-password#${"r".repeat(43)}` },
          },
          link: `${PUBLIC_URL}/reset-password#${"r".repeat(43)}`,
        }),
      () =>
        Promise.resolve({
          message: {
            kind: "request_fulfilled",
            to: newAddress(),
            data: { requestName: "API key", dashboardUrl: `${PUBLIC_URL}/app` },
          },
          link: `${PUBLIC_URL}/app`,
        }),
    ];

    it.each(cases.map((make, i) => [MAIL_KINDS[i], make] as const))(
      "%s arrives with both parts, the right recipient and a working link",
      async (_kind, make) => {
        const { message, link, linkSecret, shareId } = await make();
        const delivered: MailEvent[] = [];
        const mail = service({ onDelivered: (e) => void delivered.push(e) });
        const id = await enqueue(mail, message);

        expect(await mail.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
        expect(smtp.messages).toHaveLength(1);
        const received = smtp.messages[0]!;
        const parsed = received.parsed;
        expect(received.envelopeTo).toEqual([message.to]);
        expect(
          parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : [],
        ).toEqual([message.to]);
        expect(parsed.from?.text).toBe('"Hushlink" <no-reply@hushlink.test>');
        expect(parsed.messageId).toBe(`<${id}@hushlink.test>`);
        expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
        expect(parsed.subject?.length).toBeGreaterThan(5);
        expect(parsed.subject).not.toMatch(/[\r\n]/);

        // Both parts, each with the link exactly as given.
        expect(parsed.text).toBeTruthy();
        expect(parsed.html).toBeTruthy();
        expect(linksIn(parsed.text ?? "")).toContain(link);
        expect(parsed.html).toContain(`href="${escapeHtml(link)}"`);
        expect(parsed.html).not.toMatch(/<img|src=/i);
        if (linkSecret && shareId) {
          // The link in the mail opens the share: it carries the secret that derives its id.
          const fromMail = linksIn(parsed.text ?? "")[0] ?? "";
          expect(linkSecretFrom(fromMail)).toBe(linkSecret);
          expect((await deriveLinkKeys(linkSecretFrom(fromMail))).id).toBe(shareId);
        }
        if (message.kind === "invitation") {
          expect(parsed.html).toContain("Acme &amp; Co &lt;Ltd&gt;");
          expect(parsed.text).toContain("Acme & Co <Ltd>");
        }

        expect(await outboxRows()).toEqual([]);
        expect(delivered).toEqual([
          {
            id,
            kind: message.kind,
            shareId: message.shareId ?? null,
            ref: message.ref ?? null,
            to: message.to,
          },
        ]);
      },
    );
  });

  it("keeps the link sealed at rest and leaves nothing of it once sent", async () => {
    const share = await newShareLink();
    const to = newAddress();
    neverLogged.push(share.linkSecret);
    const mail = service();
    await enqueue(mail, {
      kind: "share_delivery",
      to,
      shareId: share.id,
      data: { linkUrl: share.url, expiresAt: clock.now() + 3600_000 },
    });

    const [row] = await outboxRows();
    expect(row).toBeDefined();
    for (const column of [row!.payload, row!.recipient]) {
      expect(column).toMatch(/^v1\./);
      expect(column).not.toContain(share.linkSecret);
      expect(column).not.toContain(to);
    }
    expect(row).toMatchObject({
      kind: "share_delivery",
      share_id: share.id,
      attempts: 0,
      locked_until: null,
    });
    const files = db.file ? [db.file, `${db.file}-wal`, `${db.file}-shm`] : [];
    for (const file of files) {
      expect(fileContains(file, share.linkSecret)).toBe(false);
      expect(fileContains(file, to)).toBe(false);
    }

    expect(await mail.runOnce()).toMatchObject({ sent: 1 });
    expect(linksIn(smtp.messages[0]?.parsed.text ?? "")).toContain(share.url);
    expect(await outboxRows()).toEqual([]);
    await checkpoint(db);
    for (const file of files) {
      expect(fileContains(file, share.linkSecret)).toBe(false);
      expect(fileContains(file, to)).toBe(false);
    }
  });

  it("retries with back-off while SMTP refuses, then drops the entry and reports the failure", async () => {
    smtp.refuse({ at: "rcpt", code: 451 });
    const failed: MailEvent[] = [];
    const mail = service({ onFailed: (e) => void failed.push(e) });
    const to = newAddress();
    const id = await enqueue(mail, {
      kind: "verify_email",
      to,
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=t1` },
    });

    expect(MAX_ATTEMPTS).toBe(7);
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBe(61 * 60_000);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const [row] = await outboxRows();
      const delay = RETRY_DELAYS_MS[attempt - 1]!;
      expect(row).toMatchObject({
        id,
        attempts: attempt,
        next_attempt_at: clock.now() + delay,
        locked_until: null,
        claim_token: null,
        last_error_code: "EENVELOPE_451",
      });
      // Not due a moment before its time, due exactly at it.
      clock.advance(delay - 1);
      expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      clock.advance(1);
    }
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await outboxRows()).toEqual([]);
    expect(failed).toEqual([
      { id, kind: "verify_email", shareId: null, ref: null, to, errorCode: "EENVELOPE_451" },
    ]);
    expect(smtp.refusals).toBe(MAX_ATTEMPTS);
    expect(smtp.messages).toHaveLength(0);
    const text = logs.join("");
    expect(text).toContain('"msg":"mail not sent, will retry"');
    expect(text).toContain('"msg":"mail undeliverable, dropped"');
  });

  it("delivers once SMTP is back", async () => {
    smtp.refuse({ at: "connect", code: 421 });
    const delivered = vi.fn();
    const failed = vi.fn();
    const mail = service({ onDelivered: delivered, onFailed: failed });
    await enqueue(mail, {
      kind: "password_reset",
      to: newAddress(),
      data: { resetUrl: `${PUBLIC_URL}/reset-password#t2` },
    });

    expect(await mail.runOnce()).toMatchObject({ retrying: 1 });
    expect((await outboxRows())[0]?.last_error_code).toMatch(/^E[A-Z]+(_421)?$/);
    clock.advance(RETRY_DELAYS_MS[0]!);
    expect(await mail.runOnce()).toMatchObject({ retrying: 1 });
    smtp.refuse(null);
    clock.advance(RETRY_DELAYS_MS[1]!);
    expect(await mail.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(delivered).toHaveBeenCalledTimes(1);
    expect(failed).not.toHaveBeenCalled();
    expect(await outboxRows()).toEqual([]);
  });

  it("gives up at once when the server refuses the recipient for good (5xx)", async () => {
    smtp.refuse({ at: "rcpt", code: 550 });
    const failed: MailEvent[] = [];
    const mail = service({ onFailed: (e) => void failed.push(e) });
    await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=t3` },
    });
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(failed.map((e) => e.errorCode)).toEqual(["EENVELOPE_550"]);
    expect(await outboxRows()).toEqual([]);
  });

  it("counts an unreachable relay as down and retries", async () => {
    const closedPort = await freePort();
    const mail = service({}, { SMTP_URL: `smtp://127.0.0.1:${closedPort}` });
    await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=t4` },
    });
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [row] = await outboxRows();
    expect(row?.last_error_code).toMatch(/^E[A-Z]+$/);
    expect(row?.next_attempt_at).toBe(clock.now() + RETRY_DELAYS_MS[0]!);
  });

  it("does not send an entry another worker holds until its lease runs out", async () => {
    const mail = service();
    const id = await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=t5` },
    });
    // A worker claims the entry and dies before finishing.
    const claimed = await repo.claimDue(db.db, {
      now: clock.now(),
      leaseMs: LEASE_MS,
      batch: 10,
      claimToken: "crashed-worker",
      dialect: db.dialect,
    });
    expect(claimed.map((r) => r.id)).toEqual([id]);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.advance(LEASE_MS);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.advance(1);
    expect(await mail.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    // The dead worker cannot settle what it no longer holds.
    expect(await repo.deleteClaimed(db.db, { id, claimToken: "crashed-worker" })).toBe(false);
  });

  it(`two workers racing send each message once (${dialect === "postgres" ? "two connections" : "one handle"})`, async () => {
    // PostgreSQL: two instances with their own pools. SQLite: two handles in one process would
    // block each other, so two workers share one handle and race statement by statement.
    const other = dialect === "postgres" ? testDb.openAnother() : db;
    const a = service({ batchSize: 3 });
    const b = service({ batchSize: 3, database: other });
    for (let round = 0; round < 3; round++) {
      smtp.messages.length = 0;
      const ids = new Set<string>();
      for (let i = 0; i < 25; i++) {
        ids.add(
          await enqueue(
            i % 2 ? a : b,
            {
              kind: "verify_email",
              to: newAddress(),
              data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=race${round}x${i}` },
            },
            i % 2 ? db : other,
          ),
        );
      }
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(ra.sent + rb.sent).toBe(25);
      expect(ra.retrying + rb.retrying + ra.failed + rb.failed).toBe(0);
      const received = smtp.messages.map((m) => m.parsed.messageId);
      expect(received).toHaveLength(25);
      expect(new Set(received)).toEqual(new Set([...ids].map((id) => `<${id}@hushlink.test>`)));
      expect(await outboxRows()).toEqual([]);
    }
  });

  it("writes .eml files readable only by the owner when no SMTP is configured", async () => {
    const config = testConfig({ PUBLIC_URL, MAIL_FROM: TEST_MAIL_FROM }, testDb.dataDir);
    expect(config.smtpUrl).toBeNull();
    const mail = createMailService({
      config,
      database: db,
      rootKey: TEST_ROOT_KEY,
      clock,
      logger: captureLogger(logs),
    });
    services.push(mail);
    const folder = join(testDb.dataDir, "mail");
    expect(mail.mode).toBe("files");
    expect(mail.folder).toBe(folder);
    expect(mail.canDeliverShares).toBe(false);

    const to = newAddress();
    const resetUrl = `${PUBLIC_URL}/reset-password#${"f".repeat(43)}`;
    await enqueue(mail, { kind: "password_reset", to, data: { resetUrl } });
    expect(await mail.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await outboxRows()).toEqual([]);

    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const file = join(folder, files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const parsed = await simpleParser(readFileSync(file));
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : null).toBe(to);
    expect(linksIn(parsed.text ?? "")).toContain(resetUrl);
    expect(parsed.html).toContain(`href="${resetUrl}"`);

    // A share's link is never written to disk: recipients need SMTP (SPEC F9).
    const share = await newShareLink();
    await expect(
      writeTransaction(db, (trx) =>
        mail.enqueue(trx, {
          kind: "share_delivery",
          to,
          data: { linkUrl: share.url, expiresAt: clock.now() + 1000 },
        }),
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: "email_not_configured" });
    expect(await outboxRows()).toEqual([]);
  });

  describe("refuses header injection and stray data at enqueue", () => {
    const verify = { verifyUrl: `${PUBLIC_URL}/verify-email?token=x` };
    const bad: Array<[string, unknown, string, RegExp]> = [
      [
        "CR/LF in the address",
        { kind: "verify_email", to: "victim@example.org\r\nBcc: evil@example.net", data: verify },
        "invalid_email",
        /^Cannot queue the message: to must be a single bare e-mail address/,
      ],
      [
        "LF at the end of the address",
        { kind: "verify_email", to: "victim@example.org\n", data: verify },
        "invalid_email",
        /to must be a single bare/,
      ],
      [
        "a display name",
        { kind: "verify_email", to: "Evil <victim@example.org>", data: verify },
        "invalid_email",
        /to must be a single bare/,
      ],
      [
        "a list of addresses",
        { kind: "verify_email", to: "a@example.org,b@example.org", data: verify },
        "invalid_email",
        /to must be a single bare/,
      ],
      [
        "no address",
        { kind: "verify_email", to: "not-an-address", data: verify },
        "invalid_email",
        /to must be a valid e-mail address/,
      ],
      [
        "CR/LF in a subject field",
        {
          kind: "invitation",
          to: "a@example.org",
          data: {
            orgName: "Acme\r\nBcc: evil@example.net",
            acceptUrl: `${PUBLIC_URL}/invitations/t`,
          },
        },
        "invalid_mail",
        /data\.orgName must be one line/,
      ],
      [
        "a trailing line break",
        { kind: "share_viewed", to: "a@example.org", data: { shareName: "db\n", viewedAt: 1 } },
        "invalid_mail",
        /data\.shareName must be one line/,
      ],
      [
        "a link elsewhere",
        {
          kind: "verify_email",
          to: "a@example.org",
          data: { verifyUrl: "https://evil.example/verify-email?token=x" },
        },
        "invalid_mail",
        /data\.verifyUrl must be a link under http:\/\/hushlink\.test\//,
      ],
      [
        "a look-alike host",
        {
          kind: "verify_email",
          to: "a@example.org",
          data: { verifyUrl: "http://hushlink.test.evil.example/x" },
        },
        "invalid_mail",
        /data\.verifyUrl must be a link under/,
      ],
      [
        "an unknown field",
        { kind: "verify_email", to: "a@example.org", data: { ...verify, secret: "hunter2" } },
        "invalid_mail",
        /data/,
      ],
      [
        "a share name in a delivery (creator-only, SPEC F1)",
        {
          kind: "share_delivery",
          to: "a@example.org",
          data: { linkUrl: `${PUBLIC_URL}/s#x`, expiresAt: 1, shareName: "prod db" },
        },
        "invalid_mail",
        /data/,
      ],
      [
        "an unknown kind",
        { kind: "newsletter", to: "a@example.org", data: {} },
        "invalid_mail",
        /unknown kind/,
      ],
    ];
    it.each(bad)("%s", async (_name, message, code, text) => {
      const mail = service();
      const attempt = writeTransaction(db, (trx) => mail.enqueue(trx, message as MailMessage));
      await expect(attempt).rejects.toBeInstanceOf(MailInputError);
      await expect(attempt).rejects.toMatchObject({ statusCode: 400, code });
      await expect(attempt).rejects.toThrow(text);
      expect(await outboxRows()).toEqual([]);
    });
  });

  it("rolls back with the caller's transaction", async () => {
    const mail = service();
    await expect(
      writeTransaction(db, async (trx) => {
        await mail.enqueue(trx, {
          kind: "verify_email",
          to: newAddress(),
          data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=rb` },
        });
        throw new Error("the signup failed after queuing");
      }),
    ).rejects.toThrow("the signup failed");
    expect(await outboxRows()).toEqual([]);
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  it("sends soon after a kick once started, and stop() waits for the run", async () => {
    const mail = service({ intervalMs: 3_600_000 });
    const delivered = vi.fn();
    const off = mail.onDelivered(delivered);
    mail.start();
    await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=k1` },
    });
    mail.kick();
    await smtp.waitFor(1, 5_000);
    await vi.waitFor(() => expect(delivered).toHaveBeenCalledTimes(1));
    off();
    await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=k2` },
    });
    // No explicit kick: enqueue's own delayed nudge sends it.
    await smtp.waitFor(2, 5_000);
    await mail.stop();
    expect(delivered).toHaveBeenCalledTimes(1);
    expect(await outboxRows()).toEqual([]);
  });

  it("drops a share's queued deliveries when the share goes", async () => {
    const mail = service();
    const share = await newShareLink();
    neverLogged.push(share.linkSecret);
    for (const ref of ["r1", "r2"]) {
      await enqueue(mail, {
        kind: "share_delivery",
        to: newAddress(),
        shareId: share.id,
        ref,
        data: { linkUrl: share.url, expiresAt: clock.now() + 60_000 },
      });
    }
    await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=c1` },
    });
    const dropped = await writeTransaction(db, (trx) => mail.cancelForShare(trx, share.id));
    expect(dropped.map((d) => d.ref).sort()).toEqual(["r1", "r2"]);
    expect(dropped.every((d) => d.shareId === share.id && d.kind === "share_delivery")).toBe(true);
    expect((await outboxRows()).map((r) => r.kind)).toEqual(["verify_email"]);
  });

  it("opens entries sealed under a retired root key, and retries those it cannot open", async () => {
    const oldKey = Buffer.alloc(32, 1);
    const before = service({ rootKey: oldKey });
    await enqueue(before, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=o1` },
    });

    const withoutOldKey = service({ rootKey: TEST_ROOT_KEY });
    expect(await withoutOldKey.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await outboxRows())[0]?.last_error_code).toBe("sealed_unknown_key");

    clock.advance(RETRY_DELAYS_MS[0]!);
    const rotated = service({ rootKey: [TEST_ROOT_KEY, oldKey] });
    expect(await rotated.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
  });

  it("drops an entry whose sealed payload was moved from another row", async () => {
    const mail = service();
    const failed: MailEvent[] = [];
    mail.onFailed((e) => void failed.push(e));
    const id = await enqueue(mail, {
      kind: "verify_email",
      to: newAddress(),
      data: { verifyUrl: `${PUBLIC_URL}/verify-email?token=m1` },
    });
    const [row] = await outboxRows();
    // A payload sealed for another entry does not open here (the AAD binds id and kind).
    await db.db
      .updateTable("mail_outbox")
      .set({
        payload: sealWithRootKey(
          TEST_ROOT_KEY,
          JSON.stringify({ data: { verifyUrl: `${PUBLIC_URL}/x` } }),
          `hushlink/mail_outbox/other/verify_email/payload`,
        ),
      })
      .where("id", "=", id)
      .execute();
    expect(row).toBeDefined();
    // No key fixes that: dropped at once, and reported.
    expect(await mail.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(failed.map((e) => e.errorCode)).toEqual(["sealed_tampered"]);
    expect(await outboxRows()).toEqual([]);
    expect(smtp.messages).toHaveLength(0);
  });
});
