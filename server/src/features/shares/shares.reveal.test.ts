/**
 * Unit tier: the reveal's rules on in-memory fakes of its repository and people lookups, with a
 * manual clock. No database; the SQL that enforces the same conditions in one statement is
 * covered by the integration suites (server/test/shares.test.ts), on SQLite and PostgreSQL.
 */
import type { Kysely } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";

import { createManualClock, type ManualClock } from "../../clock.js";
import type { Database, StoredShareEventType } from "../../db/schema.js";
import { ConflictError } from "../../errors.js";
import { hashBase64UrlBytes } from "../../lib/tokens.js";
import { refusal } from "../../test/refusal.js";
import type { GoneStatus, ShareRow } from "./shares.repository.js";
import { emailCodeHash } from "./email-codes.js";
import { createReveal, type RevealDeps, type RevealRepository } from "./shares.reveal.js";

const VIEW_TOKEN = Buffer.alloc(32, 1).toString("base64url");
const OTHER_TOKEN = Buffer.alloc(32, 2).toString("base64url");
const VERIFIER = Buffer.alloc(32, 3).toString("base64url");
const WRONG_VERIFIER = Buffer.alloc(32, 4).toString("base64url");
const HOUR = 3_600_000;
const ANON = { ip: "192.0.2.1", userId: null };

/** Shares, events, memberships and recipients as plain data, behind the reveal's interfaces. */
function createWorld(clock: ManualClock) {
  const shares = new Map<string, ShareRow>();
  const events: { shareId: string; type: StoredShareEventType; userId: string | null }[] = [];
  const members = new Set<string>(); // `${orgId}/${userId}`
  const recipients = new Set<string>(); // `${shareId}/${userId}`
  const destroyed: GoneStatus[] = [];
  const counted = { revealed: 0, wrongPasswords: 0 };

  const isMember = (orgId: string | null, userId: string) => members.has(`${orgId}/${userId}`);

  const repo: RevealRepository = {
    // The same condition as viewAllowed in shares.repository.ts, in plain code.
    consumeView(_db, args) {
      const row = shares.get(args.id);
      const ok =
        row !== undefined &&
        row.status === "active" &&
        row.view_token_hash === args.viewTokenHash &&
        row.expires_at > args.now &&
        row.chunks_stored >= row.chunks_total &&
        (row.max_views === null || row.view_count < row.max_views) &&
        (!row.restrict_to_recipients ||
          (args.viewerId !== null &&
            recipients.has(`${row.id}/${args.viewerId}`) &&
            isMember(row.org_id, args.viewerId))) &&
        (row.access === "anyone" ||
          (args.viewerId !== null && isMember(row.org_id, args.viewerId))) &&
        (row.verifier_hash === null || row.verifier_hash === args.verifierHash) &&
        (!row.email_code_required ||
          (args.emailCodeHash !== null &&
            row.email_code_hash === args.emailCodeHash &&
            (row.email_code_expires_at ?? 0) > args.now &&
            (row.email_code_tries_left ?? 0) > 0));
      if (!ok) return Promise.resolve(undefined);
      const before = { ...row };
      row.view_count += 1;
      row.email_code_hash = row.email_code_required ? args.spentCodeHash : null;
      return Promise.resolve({ ...before, view_count: row.view_count });
    },
    revealInOneStatement: () => Promise.reject(new Error("PostgreSQL only")),
    findShare: (_db, id) => Promise.resolve(shares.get(id) && { ...shares.get(id)! }),
    destroyShare(_db, args) {
      const row = shares.get(args.id);
      if (!row || row.status !== "active") return Promise.resolve(false);
      Object.assign(row, { status: args.reason, gone_at: args.at, ciphertext: null, iv: null });
      Object.assign(row, { view_token_hash: null, verifier_hash: null });
      return Promise.resolve(true);
    },
    takePasswordAttempt(_db, id, now) {
      const row = shares.get(id);
      const left = row?.password_attempts_left ?? 0;
      if (!row || row.status !== "active" || row.expires_at <= now || left <= 0)
        return Promise.resolve(undefined);
      row.password_attempts_left = left - 1;
      return Promise.resolve(left - 1);
    },
    takeEmailCodeTry(_db, args) {
      const row = shares.get(args.id);
      const left = row?.email_code_tries_left ?? 0;
      if (
        !row ||
        row.status !== "active" ||
        row.email_code_hash !== args.codeHash ||
        (row.email_code_expires_at ?? 0) <= args.now ||
        left <= 0
      )
        return Promise.resolve(undefined);
      row.email_code_tries_left = left - 1;
      return Promise.resolve(left - 1);
    },
    addEvent(_db, event) {
      events.push({ shareId: event.shareId, type: event.type, userId: event.userId ?? null });
      return Promise.resolve();
    },
  };

  const counter = (key: keyof typeof counted) => ({ inc: () => void (counted[key] += 1) });
  const deps: RevealDeps = {
    database: { db: {} as Kysely<Database>, dialect: "sqlite" },
    transact: (fn) => fn({} as Kysely<Database>),
    repo,
    people: {
      isMember: (_db, orgId, userId) => Promise.resolve(isMember(orgId, userId)),
      managerEmailOf: () => Promise.resolve(undefined),
    },
    recipients: {
      isRecipient: (_db, shareId, userId) =>
        Promise.resolve(
          recipients.has(`${shareId}/${userId}`) &&
            isMember(shares.get(shareId)?.org_id ?? null, userId),
        ),
      recipientOfLink: () => Promise.resolve(undefined),
    },
    clock,
    metrics: {
      sharesRevealed: counter("revealed"),
      wrongPasswords: counter("wrongPasswords"),
    } as unknown as RevealDeps["metrics"],
    destroyed: (reason) => void destroyed.push(reason),
  };

  function addShare(overrides: Partial<ShareRow> = {}): ShareRow {
    const row: ShareRow = {
      id: `s${shares.size + 1}`,
      org_id: "org1",
      creator_id: "creator",
      name: null,
      access: "anyone",
      ciphertext: "Y2lwaGVy",
      iv: "aXY",
      view_token_hash: hashBase64UrlBytes(VIEW_TOKEN),
      verifier_hash: null,
      kdf_m: null,
      kdf_t: null,
      kdf_p: null,
      manage_token_hash: null,
      max_views: 1,
      view_count: 0,
      password_attempts_left: null,
      notify_on_view: 0,
      allow_external_recipients: 0,
      restrict_to_recipients: 0,
      show_sender: 0,
      status: "active",
      created_at: clock.now(),
      created_ip: null,
      expires_at: clock.now() + HOUR,
      gone_at: null,
      blob_count: 0,
      blob_bytes: 0,
      chunks_total: 0,
      chunks_stored: 0,
      upload_token_hash: null,
      parent_id: null,
      links_per_recipient: 0,
      email_code_required: 0,
      email_code_hash: null,
      email_code_expires_at: null,
      email_code_tries_left: null,
      email_code_sent_at: null,
      email_code_window_at: null,
      email_code_window_count: 0,
      ...overrides,
    };
    shares.set(row.id, row);
    return row;
  }

  const withPassword = (attempts: number): Partial<ShareRow> => ({
    verifier_hash: hashBase64UrlBytes(VERIFIER),
    password_attempts_left: attempts,
  });

  return { shares, events, members, recipients, destroyed, counted, deps, addShare, withPassword };
}

describe("reveal (unit, in-memory fakes)", () => {
  let clock: ManualClock;
  let world: ReturnType<typeof createWorld>;
  let reveal: ReturnType<typeof createReveal>["reveal"];

  // A clock of its own per test: no test sees another's time.
  beforeEach(() => {
    clock = createManualClock();
    world = createWorld(clock);
    reveal = createReveal(world.deps).reveal;
  });

  it("reveals, logs the view and destroys the content after the last one", async () => {
    const share = world.addShare({ max_views: 2 });
    const first = await reveal(share.id, { viewToken: VIEW_TOKEN }, ANON);
    expect(first).toMatchObject({ ciphertext: "Y2lwaGVy", iv: "aXY", viewsRemaining: 1 });
    expect(world.shares.get(share.id)?.status).toBe("active");
    const last = await reveal(share.id, { viewToken: VIEW_TOKEN }, ANON);
    expect(last.viewsRemaining).toBe(0);
    expect(world.shares.get(share.id)).toMatchObject({ status: "viewed", ciphertext: null });
    expect(world.events.map((e) => e.type)).toEqual(["revealed", "revealed"]);
    expect(world.destroyed).toEqual(["viewed"]);
    expect(world.counted.revealed).toBe(2);
  });

  it("an unknown id: 404 share_not_found, nothing recorded", async () => {
    const error = await refusal(reveal("nope", { viewToken: VIEW_TOKEN }, ANON));
    expect([error.statusCode, error.code]).toEqual([404, "share_not_found"]);
    expect(world.events).toEqual([]);
  });

  it("a wrong view token: the same 404 as an unknown id, and no view taken", async () => {
    const share = world.addShare();
    const error = await refusal(reveal(share.id, { viewToken: OTHER_TOKEN }, ANON));
    expect([error.statusCode, error.code]).toEqual([404, "share_not_found"]);
    expect(world.shares.get(share.id)?.view_count).toBe(0);
  });

  it("a share already viewed: 410 with the reason and when", async () => {
    const share = world.addShare();
    await reveal(share.id, { viewToken: VIEW_TOKEN }, ANON);
    clock.advance(60_000);
    const error = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
    expect([error.statusCode, error.code, error.details.reason]).toEqual([
      410,
      "share_gone",
      "viewed",
    ]);
    expect(error.details.at).toBe(new Date(share.created_at).toISOString());
  });

  it("past its expiry: 410 expired, destroyed on the spot though no sweeper ran", async () => {
    const share = world.addShare();
    clock.advance(HOUR);
    const error = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
    expect([error.statusCode, error.details.reason]).toEqual([410, "expired"]);
    expect(error.details.at).toBe(new Date(share.expires_at).toISOString());
    expect(world.shares.get(share.id)).toMatchObject({ status: "expired", ciphertext: null });
    expect(world.destroyed).toEqual(["expired"]);
  });

  it("files still uploading: the files service's refusal, and no view taken", async () => {
    world.deps.files = {
      uploadIncomplete: () => new ConflictError("upload_incomplete", "Still uploading."),
      grantDownload: () => Promise.reject(new Error("not reached")),
    };
    reveal = createReveal(world.deps).reveal;
    const share = world.addShare({ blob_count: 1, chunks_total: 2, chunks_stored: 1 });
    const error = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
    expect([error.statusCode, error.code]).toEqual([409, "upload_incomplete"]);
    expect(world.shares.get(share.id)?.view_count).toBe(0);
  });

  describe("organization-only", () => {
    it("signed out: 401 login_required; another organization's member: 403 not_allowed", async () => {
      const share = world.addShare({ access: "organization" });
      const signedOut = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
      expect([signedOut.statusCode, signedOut.code]).toEqual([401, "login_required"]);
      const outsider = await refusal(
        reveal(share.id, { viewToken: VIEW_TOKEN }, { ip: null, userId: "outsider" }),
      );
      expect([outsider.statusCode, outsider.code]).toEqual([403, "not_allowed"]);
      world.members.add("org1/member");
      const ok = await reveal(share.id, { viewToken: VIEW_TOKEN }, { ip: null, userId: "member" });
      expect(ok.viewsRemaining).toBe(0);
    });

    it("is checked before the password, so an outsider burns no attempt", async () => {
      const share = world.addShare({ access: "organization", ...world.withPassword(3) });
      const body = { viewToken: VIEW_TOKEN, verifier: WRONG_VERIFIER };
      const error = await refusal(reveal(share.id, body, { ip: null, userId: "outsider" }));
      expect(error.code).toBe("not_allowed");
      expect(world.shares.get(share.id)?.password_attempts_left).toBe(3);
      expect(world.events).toEqual([]);
    });
  });

  it("recipients only: 401 signed out, 403 for someone not on the list, opens for a recipient", async () => {
    const share = world.addShare({ restrict_to_recipients: 1 });
    const signedOut = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
    expect([signedOut.statusCode, signedOut.code]).toEqual([401, "login_required"]);
    expect(signedOut.message).toMatch(/address this secret was sent to/);
    const other = await refusal(
      reveal(share.id, { viewToken: VIEW_TOKEN }, { ip: null, userId: "other" }),
    );
    expect([other.statusCode, other.code]).toEqual([403, "not_allowed"]);
    world.recipients.add(`${share.id}/bob`);
    // A listed recipient who is no member of the share's organization (removed): refused too.
    const removed = await refusal(
      reveal(share.id, { viewToken: VIEW_TOKEN }, { ip: null, userId: "bob" }),
    );
    expect([removed.statusCode, removed.code]).toEqual([403, "not_allowed"]);
    world.members.add(`${share.org_id}/bob`);
    const ok = await reveal(share.id, { viewToken: VIEW_TOKEN }, { ip: null, userId: "bob" });
    expect(ok.ciphertext).toBe("Y2lwaGVy");
  });

  describe("password", () => {
    it("no verifier sent: 403 password_required with the attempts left, none taken", async () => {
      const share = world.addShare(world.withPassword(3));
      const error = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
      expect([error.statusCode, error.code]).toEqual([403, "password_required"]);
      expect(error.details.attemptsRemaining).toBe(3);
      expect(world.shares.get(share.id)?.password_attempts_left).toBe(3);
    });

    it("a wrong verifier takes one attempt, logs it and counts it", async () => {
      const share = world.addShare(world.withPassword(3));
      const body = { viewToken: VIEW_TOKEN, verifier: WRONG_VERIFIER };
      const error = await refusal(reveal(share.id, body, ANON));
      expect([error.statusCode, error.code]).toEqual([403, "wrong_password"]);
      expect(error.details.attemptsRemaining).toBe(2);
      expect(error.message).toBe("Wrong password. 2 attempts left before the secret is destroyed.");
      expect(world.events.map((e) => e.type)).toEqual(["wrong_password"]);
      expect(world.counted.wrongPasswords).toBe(1);
      expect(world.shares.get(share.id)?.view_count).toBe(0);
    });

    it("the last wrong attempt locks the share: content erased, locked logged", async () => {
      const share = world.addShare(world.withPassword(1));
      const body = { viewToken: VIEW_TOKEN, verifier: WRONG_VERIFIER };
      const error = await refusal(reveal(share.id, body, ANON));
      expect(error.code).toBe("wrong_password");
      expect(error.details.attemptsRemaining).toBe(0);
      expect(world.shares.get(share.id)).toMatchObject({ status: "locked", ciphertext: null });
      expect(world.events.map((e) => e.type)).toEqual(["wrong_password", "locked"]);
      expect(world.destroyed).toEqual(["locked"]);
      const after = await refusal(
        reveal(share.id, { viewToken: VIEW_TOKEN, verifier: VERIFIER }, ANON),
      );
      expect([after.statusCode, after.details.reason]).toEqual([410, "locked"]);
    });

    it("the right verifier opens it", async () => {
      const share = world.addShare(world.withPassword(3));
      const ok = await reveal(share.id, { viewToken: VIEW_TOKEN, verifier: VERIFIER }, ANON);
      expect(ok.viewsRemaining).toBe(0);
    });
  });

  describe("e-mailed code (issue 19)", () => {
    const withCode = (id: string, code: string, tries = 5): Partial<ShareRow> => ({
      id,
      email_code_required: 1,
      email_code_hash: emailCodeHash(id, code),
      email_code_expires_at: clock.now() + 600_000,
      email_code_tries_left: tries,
    });
    const body = (emailCode?: string) => ({
      viewToken: VIEW_TOKEN,
      verifier: VERIFIER,
      ...(emailCode ? { emailCode } : {}),
    });

    it("none sent: 403 email_code_required, before the password, nothing taken", async () => {
      const share = world.addShare({ ...world.withPassword(3), ...withCode("c1", "123456") });
      const error = await refusal(reveal(share.id, { viewToken: VIEW_TOKEN }, ANON));
      expect([error.statusCode, error.code]).toEqual([403, "email_code_required"]);
      expect(world.shares.get(share.id)).toMatchObject({
        password_attempts_left: 3,
        email_code_tries_left: 5,
      });
    });

    it("a wrong code takes one try of the code and is logged; the password keeps its attempts", async () => {
      const share = world.addShare({ ...world.withPassword(3), ...withCode("c2", "123456", 1) });
      const error = await refusal(reveal(share.id, body("654321"), ANON));
      expect([error.code, error.details.attemptsRemaining]).toEqual(["wrong_email_code", 0]);
      expect(world.events.map((e) => e.type)).toEqual(["wrong_email_code"]);
      expect(world.shares.get(share.id)?.password_attempts_left).toBe(3);
      const dead = await refusal(reveal(share.id, body("123456"), ANON));
      expect(dead.code).toBe("email_code_expired");
    });

    it("the right code opens one view and is used up by it", async () => {
      const share = world.addShare({ ...world.withPassword(3), ...withCode("c3", "123456") });
      world.shares.get(share.id)!.max_views = 2;
      expect((await reveal(share.id, body("123456"), ANON)).viewsRemaining).toBe(1);
      const again = await refusal(reveal(share.id, body("123456"), ANON));
      expect(again.code).toBe("email_code_expired");
      // A used code is no wrong guess: it takes no try and is not logged as one.
      expect(world.shares.get(share.id)?.email_code_tries_left).toBe(5);
      expect(world.events.map((e) => e.type)).toEqual(["revealed"]);
    });

    it("an expired code is refused without taking a try", async () => {
      const share = world.addShare({ ...world.withPassword(3), ...withCode("c4", "123456") });
      clock.advance(600_000);
      const error = await refusal(reveal(share.id, body("123456"), ANON));
      expect(error.code).toBe("email_code_expired");
      expect(world.shares.get(share.id)?.email_code_tries_left).toBe(5);
    });
  });
});
