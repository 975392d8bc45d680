/**
 * Bad input, whatever it is, gets a documented 4xx with a code in time, never a 500 or a hang,
 * and the server keeps serving (beside error-contract.test.ts, which provokes each documented
 * error on purpose). Every operation of the OpenAPI document is sent generated bad requests over
 * real HTTP, signed out, as a member, as the organization's admin and with an API token. The
 * cases are drawn from one seed per run: a failure prints it, and FUZZ_SEED=<seed> sends the same
 * requests again; FUZZ_FULL=1 sends every case on both databases (about 4 minutes, not 1). The
 * inputs that found bugs are kept by name in robustness-cases.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { Dialect } from "../src/db/database.js";
import {
  memberOf,
  orgIdOf,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { makeFile } from "./helpers/files.js";
import { newRequest } from "./helpers/requests.js";
import type { TestApp } from "./helpers/app.js";
import { TEST_DATABASE_URL } from "./helpers/databases.js";
import {
  casesFor,
  concrete,
  JSON_TYPE,
  problemWith,
  TIME_BOUND_MS,
  type Document,
  type Identity,
  type Target,
} from "./helpers/fuzz-cases.js";
import { random, send } from "./helpers/fuzz.js";
import { listen } from "./helpers/live.js";
import { suiteApp } from "./helpers/suite.js";

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

export interface Run {
  requests: number;
  failures: string[];
}

/**
 * Sets up the identities on `t`, then sends the cases: for each identity named in `shares`, every
 * edge case and that share of the others.
 */
function robustnessSuite(dialect: Dialect, shares: Record<string, number>) {
  const t: TestApp = suiteApp(dialect);
  let base: string;
  let doc: Document;
  let targets: Target[];
  const who = new Map<string, Identity>();

  async function makeIdentities() {
    const admin = await signup(t);
    const orgId = await orgIdOf(admin);
    const member = await memberOf(t, orgId);
    const token = await admin.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "fuzz", scope: "full" },
    });
    // Real rows behind the paths, so that cases get past "not found" to the code behind it.
    const built = await buildShare({ maxViews: 100 });
    const file = await makeFile(10);
    const share = await admin.inject({
      method: "POST",
      url: "/api/v1/shares",
      payload: { ...built.body, blobs: [file.declaration] },
    });
    const request = await newRequest(admin);
    const invitation = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email: uniqueEmail("invited"), role: "member" },
    });
    const ids = {
      orgId,
      userId: await userIdOf(t, member.email),
      "shares.id": built.body.id,
      "requests.id": request.id,
      "tokens.id": token.json<{ id: string }>().id,
      blob: file.blobId,
      invitationId: invitation.json<{ id: string }>().id,
      "x-upload-token": share.json<{ uploadToken: string }>().uploadToken,
    };
    const session = (c: Client) => c.headers;
    const all: Identity[] = [
      { name: "signed out", headers: {}, ids },
      { name: "member", headers: session(member), ids },
      { name: "admin", headers: session(admin), ids },
      {
        name: "token",
        headers: { authorization: `Bearer ${token.json<{ token: string }>().token}` },
        ids,
      },
    ];
    for (const identity of all) if (shares[identity.name]) who.set(identity.name, identity);
  }

  /** Whether the identities still reach their organization (a case may have signed one out). */
  async function intact(): Promise<boolean> {
    for (const identity of who.values()) {
      if (identity.name === "signed out") continue;
      const res = await send(
        base,
        {
          label: "",
          method: "GET",
          path: `/api/v1/orgs/${identity.ids.orgId}/members`,
          headers: identity.headers,
        },
        TIME_BOUND_MS,
      );
      if (res.status !== 200) return false;
    }
    return true;
  }

  beforeAll(async () => {
    base = await listen(t);
    doc = (await t.app.inject({ url: "/api/openapi.json" })).json<Document>();
    targets = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    await makeIdentities();
  });

  it(`answers every bad request with a documented 4xx within ${TIME_BOUND_MS} ms, and keeps serving (seed ${SEED})`, async () => {
    const rnd = random(SEED);
    const run: Run = { requests: 0, failures: [] };
    const slowest = { ms: 0, where: "" };
    const kept = await send(
      base,
      { label: "", method: "POST", path: "/api/v1/shares", headers: JSON_TYPE, body: "{}" },
      TIME_BOUND_MS,
    );
    expect(kept.status).toBe(400);
    for (const target of targets) {
      for (const identity of who.values()) {
        // Signing out ends the session the other cases need: only the signed-out caller sends it.
        if (target.path === "/api/v1/auth/logout" && identity.name !== "signed out") continue;
        for (const c of casesFor(doc, target, identity, rnd)) {
          const share = process.env.FUZZ_FULL ? 1 : shares[identity.name]!;
          if (share < 1 && !c.edge && rnd.next() > share) continue;
          run.requests += 1;
          const where = `${identity.name} ${c.method} ${c.path.slice(0, 120)} [${c.label}]`;
          try {
            const res = await send(base, c, TIME_BOUND_MS);
            const problem = problemWith(doc, target, c, res);
            if (res.ms > slowest.ms) Object.assign(slowest, { ms: res.ms, where });
            if (problem) run.failures.push(`${where}: ${problem}`);
          } catch (error) {
            run.failures.push(`${where}: ${(error as Error).message}`);
          }
        }
      }
      if (!(await intact())) {
        // A plausible body did what it says (a policy, a deletion): start again with new people.
        who.clear();
        await makeIdentities();
      }
    }
    const alive = await send(
      base,
      { label: "", method: "GET", path: "/api/v1/config", headers: {} },
      TIME_BOUND_MS,
    );
    expect(alive.status, "the server still serves").toBe(200);
    console.info(
      `robustness (${dialect}): ${run.requests} requests, seed ${SEED}, slowest ${Math.round(slowest.ms)} ms: ${slowest.where}`,
    );
    expect(run.failures.slice(0, 40), `seed ${SEED}, ${run.failures.length} failures`).toEqual([]);
  }, 240_000);

  it("answers the methods a path does not document below 500, as JSON but for HEAD", async () => {
    const failures: string[] = [];
    const admin = who.get("admin") ?? who.get("signed out")!;
    for (const path of new Set(targets.map((x) => x.path))) {
      for (const method of ["HEAD", "OPTIONS", "PATCH", "PUT", "TRACE"]) {
        const where = `${method} ${path}`;
        try {
          const res = await send(
            base,
            { label: "", method, path: concrete(path, admin.ids), headers: admin.headers },
            TIME_BOUND_MS,
          );
          if (res.status >= 500) failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
          else if (method !== "HEAD" && res.status >= 400 && !/^\{"error":\{"code":/.test(res.text))
            failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
}

describe("robustness on SQLite", () => {
  // Every case signed out and as the admin; a share of the random ones (every edge case) as the
  // member and with the token, whose answers mostly differ in the permission refused.
  robustnessSuite("sqlite", { "signed out": 1, admin: 1, member: 0.35, token: 0.35 });
});

describe.skipIf(!TEST_DATABASE_URL)("robustness on PostgreSQL", () => {
  robustnessSuite("postgres", { "signed out": 0.15, admin: 0.15 });
});
