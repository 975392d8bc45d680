/**
 * The CLI's path through a sharing policy (SPEC F16): `hushlink share` and `request create` with
 * a member's token against the real app on 127.0.0.1. What the policy forbids fails with the
 * server's words and a non-zero exit; what it allows goes through. The rules themselves are
 * tested over every server path in server/test/policies.test.ts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { orgIdOf, signup, uniqueEmail, type Client } from "../../server/test/helpers/accounts.js";
import { createTestApp, type TestApp } from "../../server/test/helpers/app.js";
import { json } from "../../server/test/helpers/http.js";
import { run } from "../src/cli.js";
import { fakeContext } from "./helpers.js";

describe("hushlink under a sharing policy", () => {
  let t: TestApp;
  let admin: Client;
  let orgId: string;
  let env: Record<string, string>;
  const work = mkdtempSync(join(tmpdir(), "hushlink-policy-"));

  const hushlink = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const ctx = fakeContext({
      env: { ...env, ...extraEnv },
      stdin: "db password",
      fetch: globalThis.fetch,
    });
    const code = await run(args, ctx);
    return { code, stdout: ctx.out(), stderr: ctx.err() };
  };

  const setPolicy = async (policy: Record<string, unknown>) => {
    const res = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/policy`,
      payload: policy,
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp("sqlite");
    const base = await t.app.listen({ host: "127.0.0.1", port: 0 });
    admin = await signup(t, uniqueEmail("policy-admin"));
    orgId = await orgIdOf(admin);
    // Policies bind admins as well; the admin's own organization is the token's first one.
    const created = await admin.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "cli" },
    });
    env = {
      HOME: work,
      HUSHLINK_SERVER: base,
      HUSHLINK_TOKEN: json<{ token: string }>(created).token,
    };
  });
  afterAll(() => t.close());

  it("shows the policy's refusal as it is and exits non-zero; allowed shares go through", async () => {
    await setPolicy({ requirePassword: true, maxViews: 2 });

    const noPassword = await hushlink(["share", "--org-only"]);
    expect(noPassword.code).not.toBe(0);
    expect(noPassword.stdout).toBe("");
    expect(noPassword.stderr).toContain(
      "Your organization's policy requires a password on every share.",
    );

    const tooMany = await hushlink(["share", "--org-only", "--password", "--views", "3"], {
      HUSHLINK_PASSWORD: "fir-moss-cello-7",
    });
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toContain("at most 2 views per link");

    const allowed = await hushlink(["share", "--org-only", "--password", "--views", "2"], {
      HUSHLINK_PASSWORD: "fir-moss-cello-7",
    });
    expect(allowed.stderr).not.toContain("policy");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/\/s#[A-Za-z0-9_-]{20,}/);
  });

  it("refuses a request anyone may answer when the policy says so", async () => {
    await setPolicy({ allowAnyoneRequests: false });
    const refused = await hushlink(["request", "create", "--name", "VPN key"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("only requests that members of the organization answer");
  });
});
