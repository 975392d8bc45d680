/**
 * The migration that puts stored addresses and domains in their one spelling
 * (20261207140000_canonical_domains, docs/SPEC.md "Lookalike domains"): rows written before the
 * rule in another spelling (punycode, full-width or upper-case Unicode) are rewritten, unless
 * another row of their scope holds the one spelling already (left, counted in one log line);
 * plain ASCII is not touched. An account so stored signs in again with either spelling.
 */
import { sql, type Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";

import { up } from "../src/db/migrations/20261207140000_canonical_domains.js";
import { signInAttempt, signup, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { insertOldOrg, insertOldUser, migrateOver } from "./helpers/migrations.js";
import { mailSuite } from "./helpers/suite.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema of an older build
type OldDb = Kysely<any>;

const AT = 1_000_000;
const FULL_WIDTH_B = "\uff42"; // ｂ, which IDNA maps to b

async function seed(db: OldDb): Promise<void> {
  const users: [string, string][] = [
    ["u-ace", "bob@xn--bcher-kva.example"],
    ["u-wide", `ann@${FULL_WIDTH_B}ücher.example`],
    ["u-upper", "cy@BÜCHER.example"],
    ["u-taken", "dup@xn--bcher-kva.example"],
    ["u-holder", "dup@bücher.example"],
    ["u-ascii", "Plain@Example.test"],
    ["u-ace-local", "xn--x@example.test"],
    ["u-mixed", "eve@xn--exmple-4nf.test"], // Latin with a Cyrillic а: the rule refuses it
  ];
  for (const [id, email] of users) await insertOldUser(db, { id, email, at: AT });
  for (const org of ["o1", "o2", "o3", "o4"]) await insertOldOrg(db, org, AT);
  const invitations: [string, string, string][] = [
    ["i-ace", "o1", "bob@xn--bcher-kva.example"],
    ["i-holder", "o1", "dup@bücher.example"],
    ["i-taken", "o1", "dup@xn--bcher-kva.example"],
    ["i-other-org", "o2", "dup@xn--bcher-kva.example"],
    ["i-ascii", "o2", "Plain@Example.test"],
  ];
  for (const [id, org, email] of invitations)
    await sql`insert into invitations (id, token_hash, org_id, email, role, created_at, expires_at)
      values (${id}, ${`t-${id}`}, ${org}, ${email}, 'member', ${AT}, ${AT * 2})`.execute(db);
  await sql`insert into shares (id, access, ciphertext, iv, view_token_hash, max_views, status,
      created_at, expires_at)
    values ('s1', 'anyone', 'c', 'i', 'h', 1, 'active', ${AT}, ${AT * 2})`.execute(db);
  const recipients: [string, string][] = [
    ["r-ace", "bob@xn--bcher-kva.example"],
    ["r-wide", `zoe@${FULL_WIDTH_B}ücher.example`],
    ["r-holder", "zoe@bücher.example"],
    ["r-ascii", "plain@example.test"],
  ];
  for (const [id, email] of recipients)
    await sql`insert into share_recipients (id, share_id, email, created_at, updated_at)
      values (${id}, 's1', ${email}, ${AT}, ${AT})`.execute(db);
  const claims: [string, string, number | null][] = [
    ["o1", "xn--bcher-kva.example", AT],
    ["o1", "plain.test", AT],
    ["o2", "XN--BCHER-KVA.example", null], // waiting: many organizations may wait on one domain
    ["o3", "xn--mnchen-3ya.example", AT], // o4 holds the proven Unicode spelling
    ["o4", "münchen.example", AT],
  ];
  for (const [org, domain, proven] of claims)
    await sql`insert into org_sso_domains (org_id, domain, proof, created_at, proven_at)
      values (${org}, ${domain}, 'p', ${AT}, ${proven})`.execute(db);
}

const column = async (
  db: OldDb,
  table: string,
  key: string,
  value: string,
): Promise<Record<string, unknown>> =>
  Object.fromEntries(
    (await db.selectFrom(table).select([key, value]).execute()).map(
      (r: Record<string, unknown>) => [String(r[key]), r[value]],
    ),
  );

describe.each(testDialects)("the canonical domains migration on %s", (dialect) => {
  let warn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it("rewrites old spellings, leaves a clash and plain ASCII as they are, and says so once without addresses", async () => {
    await migrateOver(dialect, "20261207120000_webhook_owner", seed, async (db) => {
      expect(await column(db, "users", "id", "email")).toEqual({
        "u-ace": "bob@bücher.example",
        "u-wide": "ann@bücher.example",
        "u-upper": "cy@bücher.example",
        "u-taken": "dup@xn--bcher-kva.example",
        "u-holder": "dup@bücher.example",
        "u-ascii": "Plain@Example.test",
        "u-ace-local": "xn--x@example.test",
        "u-mixed": "eve@xn--exmple-4nf.test",
      });
      expect(await column(db, "invitations", "id", "email")).toEqual({
        "i-ace": "bob@bücher.example",
        "i-holder": "dup@bücher.example",
        "i-taken": "dup@xn--bcher-kva.example",
        "i-other-org": "dup@bücher.example",
        "i-ascii": "Plain@Example.test",
      });
      expect(await column(db, "share_recipients", "id", "email")).toEqual({
        "r-ace": "bob@bücher.example",
        "r-wide": `zoe@${FULL_WIDTH_B}ücher.example`,
        "r-holder": "zoe@bücher.example",
        "r-ascii": "plain@example.test",
      });
      const claims = await db
        .selectFrom("org_sso_domains")
        .select(["org_id", "domain"])
        .orderBy("org_id")
        .orderBy("domain")
        .execute();
      expect(claims.map((c) => `${c.org_id} ${c.domain}`)).toEqual([
        "o1 bücher.example",
        "o1 plain.test",
        "o2 bücher.example",
        "o3 xn--mnchen-3ya.example",
        "o4 münchen.example",
      ]);
    });
    const lines = warn.mock.calls.map((call) => String(call[0]));
    const ours = lines.filter((line) => line.includes("canonical_domains"));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain("users.email: 1");
    expect(ours[0]).toContain("invitations.email: 1");
    expect(ours[0]).toContain("share_recipients.email: 1");
    expect(ours[0]).toContain("org_sso_domains.domain: 1");
    expect(ours[0]).not.toMatch(/@|bücher|xn--|münchen/);
  });
});

describe.each(testDialects)("an account stored in punycode before the rule, on %s", (dialect) => {
  const { t } = mailSuite(dialect);

  it("signs in with either spelling once the migration ran", async () => {
    const local = uniqueEmail("old-idn").split("@")[0]!;
    await signup(t, `${local}@bücher.example`);
    // As an older build stored it: the address in the spelling it was typed in.
    await t.database.db
      .updateTable("users")
      .set({ email: `${local}@xn--bcher-kva.example` })
      .where("email", "=", `${local}@bücher.example`)
      .execute();
    expect((await signInAttempt(t, `${local}@bücher.example`)).statusCode).toBe(401);

    await up(t.database.db);
    expect((await signInAttempt(t, `${local}@bücher.example`)).statusCode).toBe(200);
    expect((await signInAttempt(t, `${local}@xn--bcher-kva.example`)).statusCode).toBe(200);
  });
});
