/**
 * SSO domains are proven by DNS before they count (SPEC F15): a claim is pending until its TXT
 * record is found through a real DNS server on 127.0.0.1 (SSO_DNS_SERVERS). Pending claims of
 * many organizations coexist and route nothing; the proven one routes sign-in and requireSso; a
 * later proof by another organization moves the domain.
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { SsoSettings } from "@hushlink/protocol";
import { sql } from "kysely";

import {
  addMembership,
  newOrg,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { insertOldOrg, insertOldUser, migrateOver } from "./helpers/migrations.js";
import { json } from "./helpers/http.js";
import { ssoSuite, type SsoOrg } from "./helpers/sso-suite.js";

describe.each(testDialects)("SSO domain proof on %s", (dialect) => {
  const { t, idp, dns, save } = ssoSuite(dialect);
  let victim: { admin: Client; orgId: string };
  let attacker: { admin: Client; orgId: string };
  const domain = `victim-${dialect}-${process.pid}.test`;

  const organization = (name: string) => newOrg(t, uniqueEmail(name), name);
  const configure = (org: SsoOrg, body: Record<string, unknown> = {}) =>
    save(org, domain, { clientSecret: idp.clientSecret, ...body });
  const claimOf = async (org: { admin: Client; orgId: string }) =>
    json<SsoSettings>(await org.admin.inject({ url: `/api/v1/orgs/${org.orgId}/sso` }))
      .domainClaims[0]!;
  const verify = (org: { admin: Client; orgId: string }, name = domain) =>
    org.admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${org.orgId}/sso/domains/${name}/verify`,
    });
  const discover = async (email: string) =>
    json<{ sso: boolean }>(
      await t.app.inject({ method: "POST", url: "/api/v1/auth/sso/discover", payload: { email } }),
    ).sso;
  const startOrg = async (email: string) => {
    const start = await t.app.inject({
      url: `/api/v1/auth/sso/start?email=${encodeURIComponent(email)}`,
    });
    return start.statusCode === 302 ? "provider" : start.headers.location;
  };

  beforeAll(async () => {
    victim = await organization("victim");
    attacker = await organization("attacker");
  });

  it("routes nothing from pending claims: another organization's claim on a victim's domain is harmless", async () => {
    // The attacker claims the domain first (before, the first to list a domain held it).
    expect((await configure(attacker, { requireSso: true })).statusCode).toBe(200);
    // The real owner can claim it too: pending claims coexist (no 409 any more).
    const saved = await configure(victim);
    expect(saved.statusCode, saved.body).toBe(200);
    const claim = json<SsoSettings>(saved).domainClaims[0]!;
    expect(claim).toMatchObject({
      domain,
      status: "pending",
      provenAt: null,
      recordName: `_hushlink.${domain}`,
    });
    expect(claim.recordValue).toMatch(/^hushlink-domain=[A-Za-z0-9_-]{16,}$/);
    expect((await claimOf(attacker)).recordValue).not.toBe(claim.recordValue);

    // Nothing routes: no SSO at the login page, no start, no password locked by requireSso.
    expect(await discover(`someone@${domain}`)).toBe(false);
    expect(await startOrg(`someone@${domain}`)).toBe("/login?sso_error=not_configured");
    const member = await signup(t, `member@${domain}`);
    await addMembership(t, attacker.orgId, member.email);
    expect((await member.inject({ url: "/api/v1/shares" })).statusCode).toBe(200);
    const login = await signInAttempt(t, member.email, "plum-river-lantern-42");
    expect(login.statusCode).toBe(200);
  });

  it("fails the proof without the record, with a wrong value, and when DNS fails; succeeds with it", async () => {
    const claim = await claimOf(victim);
    const missing = await verify(victim);
    expect(missing.statusCode).toBe(400);
    expect(json(missing)).toMatchObject({
      error: {
        code: "domain_not_proven",
        recordName: claim.recordName,
        recordValue: claim.recordValue,
      },
    });
    // The attacker's own value, or one of another claim, proves nothing for this claim.
    dns.txt.set(claim.recordName, [(await claimOf(attacker)).recordValue, "v=spf1 -all"]);
    expect(json(await verify(victim))).toMatchObject({ error: { code: "domain_not_proven" } });
    dns.failing = true;
    const down = await verify(victim);
    dns.failing = false;
    expect(down.statusCode).toBe(503);
    expect(json(down)).toMatchObject({ error: { code: "unavailable" } });
    const unknown = await verify(victim, "not-claimed.test");
    expect(json(unknown)).toMatchObject({ error: { code: "sso_domain_not_found" } });

    dns.txt.set(claim.recordName, ["v=spf1 -all", claim.recordValue]);
    const proven = await verify(victim);
    expect(proven.statusCode, proven.body).toBe(200);
    expect(json<SsoSettings>(proven).domainClaims[0]).toMatchObject({
      status: "proven",
      provenAt: new Date(t.clock.now()).toISOString(),
    });
    expect(await discover(`someone@${domain}`)).toBe(true);
    expect(await startOrg(`someone@${domain}`)).toBe("provider");
    const login = await t.database.db
      .selectFrom("sso_logins")
      .select("org_id")
      .executeTakeFirstOrThrow();
    expect(login.org_id).toBe(victim.orgId);
    // The attacker's claim is still pending and still routes nothing.
    expect(await claimOf(attacker)).toMatchObject({ status: "pending" });
  });

  it("moves the domain to a later proof (DNS is the authority), and back", async () => {
    const attackerClaim = await claimOf(attacker);
    dns.txt.set(attackerClaim.recordName, [attackerClaim.recordValue]);
    const changes = async () =>
      (await auditEntries(victim.admin, victim.orgId)).filter(
        (e) => e.type === "sso.settings_changed",
      ).length;
    const before = await changes();
    expect((await verify(attacker)).statusCode).toBe(200);
    // The organization that lost the domain finds it in its own audit log.
    expect(await changes()).toBe(before + 1);
    expect(await claimOf(victim)).toMatchObject({ status: "pending", provenAt: null });
    expect(await claimOf(attacker)).toMatchObject({ status: "proven" });
    // The attacker's requireSso now holds for its member at the domain.
    const refused = await signInAttempt(t, `member@${domain}`, "plum-river-lantern-42");
    expect(json(refused)).toMatchObject({ error: { code: "sso_required" } });

    dns.txt.set(attackerClaim.recordName, [(await claimOf(victim)).recordValue]);
    expect((await verify(victim)).statusCode).toBe(200);
    expect(await claimOf(attacker)).toMatchObject({ status: "pending" });
    const proven = await t.database.db
      .selectFrom("org_sso_domains")
      .select("org_id")
      .where("domain", "=", domain)
      .where("proven_at", "is not", null)
      .execute();
    expect(proven).toEqual([{ org_id: victim.orgId }]);
  });

  it("keeps a claim's proof and state when the settings are saved again, and drops removed ones", async () => {
    const before = await claimOf(victim);
    expect((await configure(victim, { domains: [domain, `other.${domain}`] })).statusCode).toBe(
      200,
    );
    const after = json<SsoSettings>(
      await victim.admin.inject({ url: `/api/v1/orgs/${victim.orgId}/sso` }),
    );
    // Sorted by domain: "other.…" first.
    expect(after.domainClaims).toEqual([
      expect.objectContaining({ domain: `other.${domain}`, status: "pending" }),
      before,
    ]);
    expect((await configure(victim, { domains: [domain] })).statusCode).toBe(200);
    expect((await claimOf(victim)).status).toBe("proven");
    expect(
      json<SsoSettings>(await victim.admin.inject({ url: `/api/v1/orgs/${victim.orgId}/sso` }))
        .domains,
    ).toEqual([domain]);
  });
});

describe.each(testDialects)("the migration that adds domain proofs on %s", (dialect) => {
  it("keeps the domains listed before it as proven, each with a proof of its own, and sessions as password", async () => {
    await migrateOver(
      dialect,
      "20261205220000_shares_expiry_index",
      async (db) => {
        await insertOldUser(db, { id: "u1", email: "old@example.test" });
        await sql`insert into sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
          values ('h1', 'u1', 'c', 1000, 1000, 2000)`.execute(db);
        for (const [id, domain] of [
          ["o1", "one.test"],
          ["o2", "two.test"],
        ] as const) {
          await insertOldOrg(db, id);
          await sql`insert into org_sso_domains (domain, org_id) values (${domain}, ${id})`.execute(
            db,
          );
        }
      },
      async (db) => {
        const rows = await db
          .selectFrom("org_sso_domains")
          .select(["org_id", "domain", "proof", "proven_at"])
          .orderBy("domain")
          .execute();
        expect(rows.map((r) => [r.org_id, r.domain, r.proven_at !== null])).toEqual([
          ["o1", "one.test", true],
          ["o2", "two.test", true],
        ]);
        expect(rows[0]!.proof).not.toBe(rows[1]!.proof);
        expect(rows[0]!.proof).toMatch(/^[0-9a-f]{32}$/);
        const sessions = await db.selectFrom("sessions").select("method").execute();
        expect(sessions).toEqual([{ method: "password" }]);
      },
    );
  });
});
