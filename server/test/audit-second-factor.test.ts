/**
 * The account's own second factor in the audit log (SPEC F18, extension F16): turning the
 * authenticator app on (totp.enabled) and off (totp.disabled) and making new recovery codes
 * (recovery_codes.regenerated) leave one entry each in every organization of the account, as
 * passkey.added does: actor the account, target the account (the authenticator has no id), and
 * nothing of the secret, the codes or the password. What changed no factor leaves none, and an
 * admin's reset stays member.second_factor_reset alone. Real app, SQLite and PostgreSQL.
 */
import { describe, expect, it } from "vitest";

import type { AuditEntry } from "@hushlink/protocol";

import {
  addMembership,
  GOOD_PASSWORD,
  memberOf,
  newOrg,
  orgIdOf,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { enrolTotp } from "./helpers/second-factor.js";
import { suiteApp } from "./helpers/suite.js";

const TOTP = "/api/v1/auth/second-factor/totp";
const CODES = "/api/v1/auth/second-factor/recovery-codes";
const IP = "192.0.2.44";

describe.each(testDialects)("the account's second factor in the audit log on %s", (dialect) => {
  const t = suiteApp(dialect);

  it("on, new codes, off: one entry each in every organization of the account, none for what changed nothing", async () => {
    const firstAdmin = await signup(t, uniqueEmail("factor-log-a"), "First Co");
    const secondAdmin = await signup(t, uniqueEmail("factor-log-b"), "Second Co");
    const orgs: [Client, string][] = [
      [firstAdmin, await orgIdOf(firstAdmin)],
      [secondAdmin, await orgIdOf(secondAdmin)],
    ];
    const careful = await memberOf(t, orgs[0]![1], uniqueEmail("factor-log"));
    await addMembership(t, orgs[1]![1], careful.email);
    const userId = await userIdOf(t, careful.email);
    const logs = () => Promise.all(orgs.map(([admin, orgId]) => auditEntries(admin, orgId)));
    const before = await logs();
    const secrets = [GOOD_PASSWORD];
    const call = (method: "POST" | "DELETE", url: string, password = GOOD_PASSWORD) =>
      careful.inject({ method, url, payload: { password }, remoteAddress: IP });

    const { secret, recoveryCodes } = await enrolTotp(t, careful);
    secrets.push(secret, ...recoveryCodes);
    // A wrong password makes no codes: no entry.
    expect((await call("POST", CODES, "not the password at all")).statusCode).toBe(403);
    const regenerated = await call("POST", CODES);
    expect(regenerated.statusCode, regenerated.body).toBe(200);
    secrets.push(...json<{ recoveryCodes: string[] }>(regenerated).recoveryCodes);
    expect((await call("DELETE", TOTP)).statusCode).toBe(204);
    // Off again, and a set-up started but never confirmed: the same 204, no factor changed.
    expect((await call("DELETE", TOTP)).statusCode).toBe(204);
    const unfinished = await careful.inject({ method: "POST", url: TOTP });
    expect(unfinished.statusCode, unfinished.body).toBe(200);
    secrets.push(json<{ secret: string }>(unfinished).secret);
    expect((await call("DELETE", TOTP)).statusCode).toBe(204);

    const added = (await logs()).map((entries, i) => entries.slice(before[i]!.length));
    for (const entries of added) {
      expect(entries.map((e) => e.type)).toEqual([
        "totp.enabled",
        "recovery_codes.regenerated",
        "totp.disabled",
      ]);
      for (const entry of entries)
        expect(entry).toMatchObject<Partial<AuditEntry>>({
          actor: { kind: "user", id: userId },
          target: { kind: "user", id: userId },
          outcome: "success",
        });
      expect(entries.map((e) => e.ip)).toEqual(["127.0.0.1", IP, IP]);
      expect(entries.every((e) => !("via" in e))).toBe(true);
      const text = JSON.stringify(entries);
      for (const s of secrets) expect(text, "an entry holds a secret").not.toContain(s);
    }
  });

  it("an admin's reset of the member's factor is member.second_factor_reset alone", async () => {
    const { admin, orgId } = await newOrg(t, uniqueEmail("factor-reset-admin"));
    const member = await memberOf(t, orgId, uniqueEmail("factor-reset"));
    const memberId = await userIdOf(t, member.email);
    await enrolTotp(t, member);
    const before = (await auditEntries(admin, orgId)).length;
    const reset = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${memberId}/second-factor`,
    });
    expect(reset.statusCode, reset.body).toBe(204);
    const entries = (await auditEntries(admin, orgId)).slice(before);
    expect(entries.map((e) => e.type)).toEqual(["member.second_factor_reset"]);
  });
});
