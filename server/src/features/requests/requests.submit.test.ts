/**
 * Unit tier: answering a request, on in-memory fakes of its repository, people lookups and mail
 * queue, with a manual clock. The one-statement fulfilment on real databases, and the answers
 * through HTTP, are in the integration suites (server/test/requests-*.test.ts).
 */
import { randomBytes } from "node:crypto";

import type { Kysely } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";

import { createManualClock, type ManualClock } from "../../clock.js";
import type { Database, RequestEventType } from "../../db/schema.js";
import { NO_ANSWER } from "./requests.no-answer.js";
import type { RequestRow } from "./requests.repository.js";
import { ForbiddenError, UnauthorizedError } from "../../errors.js";
import { openValue } from "../../lib/data-keys.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { refusal } from "../../test/refusal.js";
import {
  createSubmit,
  sealContext,
  type SubmitDeps,
  type SubmitRepository,
} from "./requests.submit.js";

const HOUR = 3_600_000;
const ROOT_KEY = randomBytes(32);
const MAX_BYTES = 64;

function createWorld(clock: ManualClock) {
  const requests = new Map<string, RequestRow>();
  const events: { requestId: string; type: RequestEventType }[] = [];
  const queued: { kind: string; to: string; data: Record<string, unknown> }[] = [];
  const counted = { destroyed: 0, kicks: 0 };

  const repo: SubmitRepository = {
    fulfil: (_db, args) =>
      fulfilOpen(args, false, {
        value_sealed: args.valueSealed,
        wrapped_key: args.wrappedKey,
        key_id: args.keyId,
      }),
    fulfilEncrypted: (_db, args) =>
      fulfilOpen(args, true, {
        ephemeral_public_key: args.answer.ephemeralPublicKey,
        answer_ciphertext: args.answer.ciphertext,
        answer_iv: args.answer.iv,
      }),
    addEvents(_db, list) {
      events.push(...list.map((e) => ({ requestId: e.requestId, type: e.type })));
      return Promise.resolve();
    },
    findRequest: (_db, id) => Promise.resolve(requests.get(id) && { ...requests.get(id)! }),
    deleteIfExpired(_db, id, now) {
      const row = requests.get(id);
      if (!row || row.expires_at > now) return Promise.resolve(undefined);
      requests.delete(id);
      return Promise.resolve({ expires_at: row.expires_at });
    },
  };
  const memberships = new Set<string>(); // `${orgId}/${userId}`

  /**
   * The condition of `fulfil` and `fulfilEncrypted` in requests.repository.ts, in plain code: an
   * open request, not expired, that the viewer may answer, and that takes an answer sealed to its
   * key (`encrypted`) or a plain value; `answer` is written into the row.
   */
  function fulfilOpen(
    args: { id: string; now: number; viewerId: string | null },
    encrypted: boolean,
    answer: Partial<RequestRow>,
  ) {
    const row = requests.get(args.id);
    const allowed =
      row !== undefined &&
      row.submitted_at === null &&
      row.expires_at > args.now &&
      (row.public_key !== null) === encrypted &&
      (row.access === "anyone" ||
        (args.viewerId !== null && memberships.has(`${row.org_id}/${args.viewerId}`)));
    if (!allowed) return Promise.resolve(undefined);
    Object.assign(row, answer, { submitted_at: args.now });
    return Promise.resolve({
      requester_id: row.requester_id,
      name: row.name,
      org_id: row.org_id,
    });
  }

  const mail: MailQueue = {
    enqueue(_db, message) {
      queued.push({ kind: message.kind, to: message.to, data: message.data });
      return Promise.resolve(`m${queued.length}`);
    },
    kick: () => void (counted.kicks += 1),
  };

  const deps: SubmitDeps = {
    transact: (fn) => fn({} as Kysely<Database>),
    repo,
    people: {
      managerEmailOf: (_db, userId) =>
        Promise.resolve(userId === "alice" ? "alice@example.test" : undefined),
    },
    clock,
    limits: { maxSecretBytes: MAX_BYTES },
    currentKey: ROOT_KEY,
    publicUrl: "https://hushlink.test",
    mail,
    onDestroyed: () => void (counted.destroyed += 1),
    accessError: (userId, orgId) =>
      Promise.resolve(
        userId === null
          ? new UnauthorizedError("login_required", `sign in (${orgId})`)
          : new ForbiddenError("not_allowed", `members only (${orgId})`),
      ),
  };

  function addRequest(overrides: Partial<RequestRow> = {}): RequestRow {
    const row: RequestRow = {
      id: `r${requests.size + 1}`,
      org_id: "org1",
      requester_id: "alice",
      name: "db password",
      access: "anyone",
      created_at: clock.now(),
      expires_at: clock.now() + HOUR,
      public_key: null,
      encrypted_private_key: null,
      key_iv: null,
      read_token_hash: null,
      manage_token_hash: null,
      ...NO_ANSWER,
      ...overrides,
    };
    requests.set(row.id, row);
    return row;
  }

  return { requests, events, queued, counted, memberships, deps, addRequest };
}

const ANON = { userId: null, orgIds: [], ip: "192.0.2.7" };

describe("request submit (unit, in-memory fakes)", () => {
  let clock: ManualClock;
  let world: ReturnType<typeof createWorld>;
  let submit: ReturnType<typeof createSubmit>;

  // A clock of its own per test: no test sees another's time.
  beforeEach(() => {
    clock = createManualClock();
    world = createWorld(clock);
    submit = createSubmit(world.deps);
  });

  it("fulfils: the value sealed (never stored as sent), the event logged, the requester told", async () => {
    const request = world.addRequest();
    await submit(request.id, "hunter2", ANON);
    const row = world.requests.get(request.id)!;
    expect(row.submitted_at).toBe(clock.now());
    expect(row.value_sealed).not.toContain("hunter2");
    const opened = openValue(
      ROOT_KEY,
      { value: row.value_sealed!, wrappedKey: row.wrapped_key! },
      sealContext(request.id),
    );
    expect(opened).toBe("hunter2");
    expect(world.events).toEqual([{ requestId: request.id, type: "submitted" }]);
    expect(world.queued).toEqual([
      {
        kind: "request_fulfilled",
        to: "alice@example.test",
        data: { requestName: "db password", dashboardUrl: "https://hushlink.test/app/requests" },
      },
    ]);
    expect(JSON.stringify(world.queued)).not.toContain("hunter2");
    expect(world.counted.kicks).toBe(1);
  });

  it("a value over the limit: 400 invalid_request naming body.value, nothing stored", async () => {
    const request = world.addRequest();
    const error = await refusal(submit(request.id, "x".repeat(MAX_BYTES + 1), ANON));
    expect([error.statusCode, error.code]).toEqual([400, "invalid_request"]);
    expect(error.details.issues).toEqual([
      { path: "body.value", message: `must be at most ${MAX_BYTES} bytes of UTF-8` },
    ]);
    expect(world.requests.get(request.id)?.submitted_at).toBeNull();
  });

  it("an unknown request: 404 request_not_found", async () => {
    const error = await refusal(submit("nope", "v", ANON));
    expect([error.statusCode, error.code]).toEqual([404, "request_not_found"]);
    expect(world.events).toEqual([]);
  });

  it("past its expiry: 404, and the request destroyed on the spot with its expired entry", async () => {
    const request = world.addRequest();
    clock.advance(HOUR);
    const error = await refusal(submit(request.id, "v", ANON));
    expect([error.statusCode, error.code]).toEqual([404, "request_not_found"]);
    expect(world.requests.has(request.id)).toBe(false);
    expect(world.events).toEqual([{ requestId: request.id, type: "expired" }]);
    expect(world.counted.destroyed).toBe(1);
    expect(world.queued).toEqual([]);
  });

  it("organization-only: 401 signed out, 403 for another organization's member", async () => {
    const request = world.addRequest({ access: "organization" });
    const signedOut = await refusal(submit(request.id, "v", ANON));
    expect([signedOut.statusCode, signedOut.code]).toEqual([401, "login_required"]);
    const outsider = await refusal(
      submit(request.id, "v", { userId: "mallory", orgIds: ["org2"], ip: null }),
    );
    expect([outsider.statusCode, outsider.code]).toEqual([403, "not_allowed"]);
    expect(world.requests.get(request.id)?.submitted_at).toBeNull();
    world.memberships.add("org1/bob");
    await submit(request.id, "v", { userId: "bob", orgIds: ["org1"], ip: null });
    expect(world.requests.get(request.id)?.submitted_at).toBe(clock.now());
  });

  it("a second submission: 409 request_fulfilled, the first value kept", async () => {
    const request = world.addRequest();
    await submit(request.id, "first", ANON);
    const sealed = world.requests.get(request.id)?.value_sealed;
    clock.advance(1_000);
    const error = await refusal(submit(request.id, "second", ANON));
    expect([error.statusCode, error.code]).toEqual([409, "request_fulfilled"]);
    expect(world.requests.get(request.id)?.value_sealed).toBe(sealed);
    expect(world.queued).toHaveLength(1);
  });

  it("a requester without an address: fulfilled all the same, no mail queued", async () => {
    const request = world.addRequest({ requester_id: "ghost" });
    await submit(request.id, "v", ANON);
    expect(world.requests.get(request.id)?.submitted_at).toBe(clock.now());
    expect(world.queued).toEqual([]);
    expect(world.counted.kicks).toBe(0);
  });
});
