/**
 * `POST /api/v1/orgs/{orgId}/sso/domains/{domain}/verify` (SPEC F15) under load and at once:
 * each call may wait seconds on DNS, so it has its own budget per organization and per caller
 * (RATE_LIMIT_SSO_VERIFY, 429 rate_limited with Retry-After), spent only by the organization's
 * admins; and two organizations proving one domain at the same moment leave it with exactly one,
 * the other answered 409 sso_domain_taken where the two proofs overlap (PostgreSQL). A real DNS
 * server on 127.0.0.1 answers the lookups; concurrent calls go over real HTTP.
 */
import type { SsoSettings } from "@hushlink/protocol";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { addMembership, newOrg, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCode, json } from "./helpers/http.js";
import { errorCodeOf, listen, LiveClient, type LiveAnswer } from "./helpers/live.js";
import { ssoSuite } from "./helpers/sso-suite.js";

const BUDGET = 3;

describe.each(testDialects)("proving SSO domains on %s", (dialect) => {
  const { t, idp, dns, save } = ssoSuite(dialect, {
    env: {
      RATE_LIMIT: "on",
      RATE_LIMIT_SSO_VERIFY: String(BUDGET),
      // Every account here signs up and in from the same address.
      RATE_LIMIT_SIGNIN: "10000",
    },
  });
  let base: string;
  let n = 0;
  const newDomain = () => `proof-${dialect}-${process.pid}-${++n}.test`;

  beforeAll(async () => {
    base = await listen(t);
  });

  /** An organization claiming `domain` (pending), its admin signed in. */
  async function claiming(domain: string) {
    const { admin, orgId } = await newOrg(t, uniqueEmail("verifier"), "Verifier");
    const saved = await save({ admin, orgId }, domain, { clientSecret: idp.clientSecret });
    expect(saved.statusCode, saved.body).toBe(200);
    const claim = json<SsoSettings>(saved).domainClaims[0]!;
    return { admin, orgId, claim };
  }

  const verify = (caller: Client, orgId: string, domain: string) =>
    caller.inject({ method: "POST", url: `/api/v1/orgs/${orgId}/sso/domains/${domain}/verify` });

  describe("the limit", () => {
    it("holds each organization to RATE_LIMIT_SSO_VERIFY checks a minute, whichever admin asks", async () => {
      const domain = newDomain();
      const org = await claiming(domain);
      const other = await claiming(newDomain());
      const second = await signup(t, uniqueEmail("second-admin"));
      await addMembership(t, org.orgId, second.email, "admin");
      // No record yet: each check looks DNS up and finds nothing.
      for (let i = 0; i < BUDGET; i++)
        expect(errorCode(await verify(i % 2 ? second : org.admin, org.orgId, domain))).toBe(
          "domain_not_proven",
        );
      for (const caller of [org.admin, second]) {
        const refused = await verify(caller, org.orgId, domain);
        expect(refused.statusCode, refused.body).toBe(429);
        expect(errorCode(refused)).toBe("rate_limited");
        const retryAfter = Number(refused.headers["retry-after"]);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
      // Published now, but the budget is spent: nothing is looked up until the window ends.
      dns.txt.set(org.claim.recordName, [org.claim.recordValue]);
      expect((await verify(org.admin, org.orgId, domain)).statusCode).toBe(429);
      // Another organization's budget is its own.
      expect(errorCode(await verify(other.admin, other.orgId, other.claim.domain))).toBe(
        "domain_not_proven",
      );
    });

    it("holds a caller to one budget across the organizations they administer", async () => {
      const first = await claiming(newDomain());
      const elsewhere = await claiming(newDomain());
      await addMembership(t, elsewhere.orgId, first.admin.email, "admin");
      for (let i = 0; i < BUDGET; i++)
        expect(errorCode(await verify(first.admin, first.orgId, first.claim.domain))).toBe(
          "domain_not_proven",
        );
      const refused = await verify(first.admin, elsewhere.orgId, elsewhere.claim.domain);
      expect(errorCode(refused)).toBe("rate_limited");
      // …which spent nothing of that organization's own: its admin still checks.
      expect(
        errorCode(await verify(elsewhere.admin, elsewhere.orgId, elsewhere.claim.domain)),
      ).toBe("domain_not_proven");
    });

    it("is not spent by callers who are not the organization's admins", async () => {
      const domain = newDomain();
      const org = await claiming(domain);
      const member = await signup(t, uniqueEmail("member"));
      await addMembership(t, org.orgId, member.email);
      const outsider = await signup(t, uniqueEmail("outsider"));
      for (let i = 0; i < BUDGET + 2; i++) {
        expect(errorCode(await verify(member, org.orgId, domain))).toBe("admin_required");
        expect(errorCode(await verify(outsider, org.orgId, domain))).toBe("org_not_found");
      }
      dns.txt.set(org.claim.recordName, [org.claim.recordValue]);
      const proven = await verify(org.admin, org.orgId, domain);
      expect(proven.statusCode, proven.body).toBe(200);
    });
  });

  describe("two organizations proving one domain", () => {
    /** Both claims' records published, as when two organizations each add theirs. */
    async function contest() {
      const domain = newDomain();
      const a = await claiming(domain);
      const b = await claiming(domain);
      dns.txt.set(a.claim.recordName, [a.claim.recordValue, b.claim.recordValue]);
      return { domain, a, b };
    }
    const live = (c: Client) => {
      const client = new LiveClient(base, c.email);
      for (const pair of c.headers.cookie!.split("; ")) {
        const [name = "", value = ""] = pair.split("=");
        client.cookies.set(name, value);
      }
      return client;
    };
    const provenBy = async (domain: string) =>
      (
        await t.database.db
          .selectFrom("org_sso_domains")
          .select("org_id")
          .where("domain", "=", domain)
          .where("proven_at", "is not", null)
          .execute()
      ).map((r) => r.org_id);

    it("at once leave it proven by exactly one, whose check succeeded", async () => {
      for (let round = 0; round < 3; round++) {
        const { domain, a, b } = await contest();
        const [answerA, answerB] = await Promise.all(
          [a, b].map((o) =>
            live(o.admin).post(`/api/v1/orgs/${o.orgId}/sso/domains/${domain}/verify`),
          ),
        );
        const holders = await provenBy(domain);
        expect(holders, `round ${round}`).toHaveLength(1);
        const [holder] = holders;
        const holderAnswer = holder === a.orgId ? answerA! : answerB!;
        const loserAnswer = holder === a.orgId ? answerB! : answerA!;
        expect(holderAnswer.status, holderAnswer.text).toBe(200);
        // The loser checked first and was moved off (200), or overlapped the winner (409).
        if (loserAnswer.status !== 200) {
          expect(loserAnswer.status).toBe(409);
          expect(errorCodeOf(loserAnswer)).toBe("sso_domain_taken");
        }
      }
    });

    // Only PostgreSQL's writers overlap (SQLite has one); declared only there, since a skipped
    // test fails CI's run-everything rule.
    if (dialect === "postgres")
      it("overlapping: the one whose proof commits second answers 409 sso_domain_taken", async () => {
        const { domain, a, b } = await contest();
        // B's claim row is held, so B's check stops at its proving UPDATE after its demoting
        // one found nothing; A's proof commits meanwhile; then B's UPDATE meets A's proven row.
        let answerB!: Promise<LiveAnswer>;
        await t.database.db.transaction().execute(async (trx) => {
          await trx
            .selectFrom("org_sso_domains")
            .select("org_id")
            .where("org_id", "=", b.orgId)
            .where("domain", "=", domain)
            .forUpdate()
            .execute();
          answerB = live(b.admin).post(`/api/v1/orgs/${b.orgId}/sso/domains/${domain}/verify`);
          for (let i = 0; i < 500; i++) {
            const waiting = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`.execute(trx);
            if (Number(waiting.rows[0]?.n ?? 0) > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          const answerA = await verify(a.admin, a.orgId, domain);
          expect(answerA.statusCode, answerA.body).toBe(200);
        });
        const refused = await answerB;
        expect(refused.status, refused.text).toBe(409);
        expect(errorCodeOf(refused)).toBe("sso_domain_taken");
        expect(await provenBy(domain)).toEqual([a.orgId]);
        // Checked again, B proves it now: DNS is the authority and the later proof wins.
        expect((await verify(b.admin, b.orgId, domain)).statusCode).toBe(200);
        expect(await provenBy(domain)).toEqual([b.orgId]);
      });
  });
});
