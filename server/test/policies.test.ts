/**
 * Sharing policies (SPEC F16, extension in docs/SPEC.md): every rule against every server path a
 * member can create through (session, API token), what each rule still allows, who may read and
 * set a policy, that a policy leaves existing shares as they were, and ANONYMOUS_SHARING=off.
 * The CLI's path is cli/test/policy.e2e.test.ts; the web form's is e2e/specs/policies.spec.ts.
 */
import { randomBytes } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { BLOB_ID_BYTES, sealForRecipients, type SharingPolicyBody } from "@hushlink/protocol";

import { memberOf, orgIdOf, signup, type Client } from "./helpers/accounts.js";
import { buildShare, FAST_KDF, type BuiltShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, errorCode, json } from "./helpers/http.js";
import { mailSuite, suiteApp } from "./helpers/suite.js";

type Body = Record<string, unknown>;

interface Case {
  rule: string;
  policy: SharingPolicyBody;
  /** Where the share goes; requests are the one rule that is not about shares. */
  kind?: "share" | "request";
  forbidden: (share: BuiltShare) => Body | Promise<Body>;
  allowed: (share: BuiltShare) => Body | Promise<Body>;
}

const blob = (size: number) => ({ id: randomBytes(BLOB_ID_BYTES).toString("base64url"), size });

/** A link of its own for an outside address (F14), with the password every outsider needs. */
async function outsiderLinks(extra: Body = {}): Promise<Body> {
  const sealed = await sealForRecipients("for the outsider", ["outsider@elsewhere.test"], {
    password: "fir-moss-cello-7",
    kdf: FAST_KDF,
  });
  return {
    id: sealed.id,
    recipientLinks: sealed.recipientLinks,
    expiresIn: 3600,
    allowExternalRecipients: true,
    ...extra,
  };
}

const CASES: Case[] = [
  {
    rule: "maxExpiresIn",
    policy: { maxExpiresIn: 3600 },
    forbidden: (s) => ({ ...s.body, expiresIn: 3601 }),
    allowed: (s) => ({ ...s.body, expiresIn: 3600 }),
  },
  {
    rule: "maxViews",
    policy: { maxViews: 3 },
    forbidden: (s) => ({ ...s.body, maxViews: 4 }),
    allowed: (s) => ({ ...s.body, maxViews: 3 }),
  },
  {
    // Unlimited views are more than any limit.
    rule: "maxViews",
    policy: { maxViews: 3 },
    forbidden: (s) => ({ ...s.body, maxViews: null }),
    allowed: (s) => ({ ...s.body, maxViews: 1 }),
  },
  {
    rule: "requirePassword",
    policy: { requirePassword: true },
    forbidden: (s) => s.body,
    allowed: (s) => s.body,
  },
  {
    rule: "allowAnyoneWithLink",
    policy: { allowAnyoneWithLink: false },
    forbidden: (s) => ({ ...s.body, access: "anyone" }),
    allowed: (s) => ({ ...s.body, access: "organization" }),
  },
  {
    rule: "allowExternalRecipients",
    policy: { allowExternalRecipients: false },
    forbidden: (s) => ({
      ...s.body,
      recipients: ["someone@elsewhere.test"],
      allowExternalRecipients: true,
      delivery: { linkSecret: s.linkSecret },
    }),
    allowed: (s) => s.body,
  },
  {
    // One link for all recipients has no code to ask for.
    rule: "requireEmailCodes",
    policy: { requireEmailCodes: true },
    forbidden: (s) => ({
      ...s.body,
      recipients: ["someone@elsewhere.test"],
      allowExternalRecipients: true,
      delivery: { linkSecret: s.linkSecret },
    }),
    allowed: () => outsiderLinks(),
  },
  {
    rule: "requireEmailCodes",
    policy: { requireEmailCodes: true },
    forbidden: () => outsiderLinks({ requireEmailCode: false }),
    allowed: () => outsiderLinks({ requireEmailCode: true }),
  },
  {
    rule: "allowFiles",
    policy: { allowFiles: false },
    forbidden: (s) => ({ ...s.body, blobs: [blob(1000)] }),
    allowed: (s) => s.body,
  },
  {
    rule: "maxFileBytes",
    policy: { maxFileBytes: 2000 },
    forbidden: (s) => ({ ...s.body, blobs: [blob(1500), blob(501)] }),
    allowed: (s) => ({ ...s.body, blobs: [blob(1500), blob(500)] }),
  },
  {
    rule: "allowAnyoneRequests",
    kind: "request",
    policy: { allowAnyoneRequests: false },
    forbidden: () => ({ expiresIn: 3600, access: "anyone" }),
    allowed: () => ({ expiresIn: 3600, access: "organization" }),
  },
];

describe.each(testDialects)("sharing policies on %s", (dialect) => {
  // Recipients need e-mail; what arrives is not this suite's business (recipients.test.ts).
  const { t } = mailSuite(dialect);
  let admin: Client;
  let member: Client;
  let orgId: string;
  let memberToken: string;

  beforeAll(async () => {
    admin = await signup(t);
    orgId = await orgIdOf(admin);
    member = await memberOf(t, orgId);
    const token = await member.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "ci", scope: "full" },
    });
    expect(token.statusCode, token.body).toBe(201);
    memberToken = json<{ token: string }>(token).token;
  });

  const setPolicy = async (policy: SharingPolicyBody) => {
    const res = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/policy`,
      payload: policy,
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** The two server paths a member creates through; the member's organization is the admin's. */
  const paths = {
    session: (url: string, payload: Body) =>
      member.inject({ method: "POST", url, payload: { ...payload, orgId } }),
    token: (url: string, payload: Body) =>
      t.app.inject({
        method: "POST",
        url,
        headers: { authorization: `Bearer ${memberToken}` },
        payload: { ...payload, orgId },
      }),
  };

  describe.each(Object.keys(paths) as (keyof typeof paths)[])("through the %s path", (path) => {
    it.each(CASES.map((c, i) => [`${c.rule} #${i}`, c] as const))(
      "%s: refuses what the rule forbids, naming the rule, and takes what it allows",
      async (_name, c) => {
        await setPolicy(c.policy);
        const url = c.kind === "request" ? "/api/v1/requests" : "/api/v1/shares";
        const password = c.rule === "requirePassword" ? undefined : "fir-moss-cello-7";
        const refused = await paths[path](url, await c.forbidden(await buildShare({ password })));
        expect(refused.statusCode, refused.body).toBe(403);
        expect(json<{ error: { code: string; rule: string } }>(refused).error).toMatchObject({
          code: "policy_violation",
          rule: c.rule,
        });

        const allowedShare = await buildShare({
          password: password ?? "fir-moss-cello-7",
        });
        const accepted = await paths[path](url, await c.allowed(allowedShare));
        expect(accepted.statusCode, accepted.body).toBe(201);

        // Without the policy, what was refused goes through: the refusal was the rule's alone.
        await setPolicy({});
        const free = await paths[path](url, await c.forbidden(await buildShare({ password })));
        expect(free.statusCode, free.body).toBe(201);
      },
    );
  });

  it("leaves anonymous shares and other organizations alone", async () => {
    await setPolicy({ requirePassword: true, allowAnyoneWithLink: false, maxViews: 1 });
    const anonymous = await createShare(t.app, { ...(await buildShare()).body, maxViews: 5 });
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    const outsider = await signup(t);
    const other = await createShare(outsider, { ...(await buildShare()).body, maxViews: 5 });
    expect(other.statusCode, other.body).toBe(201);
    await setPolicy({});
  });

  it("does not change shares made before it", async () => {
    const share = await buildShare({ maxViews: 3 });
    const created = await createShare(member, share.body);
    expect(created.statusCode, created.body).toBe(201);
    await setPolicy({ maxViews: 1, requirePassword: true, maxExpiresIn: 600 });

    const metadata = json<{ viewsRemaining: number | null }>(
      await t.app.inject({ url: `/api/v1/shares/${share.body.id}` }),
    );
    expect(metadata.viewsRemaining).toBe(3);
    for (let view = 0; view < 3; view += 1) {
      const revealed = await t.app.inject({
        method: "POST",
        url: `/api/v1/shares/${share.body.id}/reveal`,
        payload: { viewToken: share.body.viewToken },
      });
      expect(revealed.statusCode, revealed.body).toBe(200);
    }
    await setPolicy({});
  });

  it("is read by members, set by admins only, validated, and audited", async () => {
    await setPolicy({ maxViews: 2, allowFiles: false });
    const read = await member.inject({ url: `/api/v1/orgs/${orgId}/policy` });
    expect(read.statusCode).toBe(200);
    const body = json<{ policy: Record<string, unknown>; updatedAt: string | null }>(read);
    // Omitted rules come back at their defaults, so a client sees the whole policy.
    expect(body.policy).toEqual({
      maxExpiresIn: null,
      maxViews: 2,
      requirePassword: false,
      allowAnyoneWithLink: true,
      allowExternalRecipients: true,
      requireEmailCodes: false,
      allowFiles: false,
      maxFileBytes: null,
      allowAnyoneRequests: true,
    });
    expect(body.updatedAt).toBe(new Date(t.clock.now()).toISOString());

    const byMember = await member.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/policy`,
      payload: {},
    });
    expect(byMember.statusCode).toBe(403);
    expect(errorCode(byMember)).toBe("admin_required");

    const outsider = await signup(t);
    const foreign = await outsider.inject({ url: `/api/v1/orgs/${orgId}/policy` });
    expect(foreign.statusCode).toBe(404);

    for (const bad of [
      { maxViews: 0 },
      { maxExpiresIn: 10 },
      { requirePassword: "yes" },
      { x: 1 },
    ]) {
      const res = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/policy`,
        payload: bad,
      });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(errorCode(res)).toBe("invalid_request");
    }

    const audit = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    const types = audit.body
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toContain("policy.changed");
    await setPolicy({});
  });

  it("a fresh organization has the open policy and no date", async () => {
    const fresh = await signup(t);
    const res = await fresh.inject({ url: `/api/v1/orgs/${await orgIdOf(fresh)}/policy` });
    expect(json<{ updatedAt: string | null }>(res).updatedAt).toBeNull();
  });
});

describe.each(testDialects)("ANONYMOUS_SHARING=off on %s", (dialect) => {
  const t = suiteApp(dialect, { env: { ANONYMOUS_SHARING: "off" } });

  it("refuses shares without an account, keeps links opening for everyone, and says so", async () => {
    const share = await buildShare();
    const anonymous = await createShare(t.app, share.body);
    expect(anonymous.statusCode).toBe(401);
    expect(errorCode(anonymous)).toBe("login_required");

    const alice = await signup(t);
    const created = await createShare(alice, share.body);
    expect(created.statusCode, created.body).toBe(201);
    const revealed = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${share.body.id}/reveal`,
      payload: { viewToken: share.body.viewToken },
    });
    expect(revealed.statusCode, revealed.body).toBe(200);

    const config = json<{ anonymousSharing?: boolean }>(
      await t.app.inject({ url: "/api/v1/config" }),
    );
    expect(config.anonymousSharing).toBe(false);
  });
});
