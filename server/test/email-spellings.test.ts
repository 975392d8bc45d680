/**
 * One inbox, one account: sign-up and invitations refuse the spellings of an address that a mail
 * system delivers to the same inbox as its plain spelling (a trailing dot, full-width letters or
 * dots), which made a second account, or an invitation, beside the first. Case was folded already.
 * Sign-in still takes them, so an account made with one before is not locked out.
 */
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD, orgIdOf, signInAttempt, signup } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { buildShare } from "./helpers/builders.js";
import { json } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

describe.each(testDialects)("spellings of an address on %s", (dialect) => {
  const t = suiteApp(dialect);
  let n = 0;

  /** A plain address and the spellings of it that reach the same inbox. */
  const variants = () => {
    n += 1;
    const local = `bob${n}.${dialect}.${process.pid}`;
    return {
      plain: `${local}@example.test`,
      others: [
        `${local}@example.test.`,
        `${local}@example..test`,
        `${local}@example\uff0etest`,
        `${local}@example.test\u3002`,
        `${local.replace("b", "\uff42")}@example.test`,
        `${local}@\uff45xample.test`,
      ],
    };
  };

  const accountsLike = async (plain: string) =>
    (await t.database.db.selectFrom("users").select("email").execute()).filter((u) =>
      u.email.startsWith(plain.slice(0, plain.indexOf("@"))),
    ).length;

  it("sign-up makes no second account for another spelling of a taken address", async () => {
    const { plain, others } = variants();
    await signup(t, plain);
    for (const email of others) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email, password: GOOD_PASSWORD },
      });
      expect(res.statusCode, email).toBe(400);
      expect(json(res), email).toMatchObject({ error: { code: "invalid_request" } });
    }
    // Case is folded as before: the same account, answered as a taken address is.
    const upper = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: { email: plain.toUpperCase(), password: GOOD_PASSWORD },
    });
    expect(upper.statusCode).toBe(202);
    expect(await accountsLike(plain)).toBe(1);
    // Sign-in takes any spelling and finds no account by it.
    expect((await signInAttempt(t, others[0]!)).statusCode).toBe(401);
    expect((await signInAttempt(t, plain.toUpperCase())).statusCode).toBe(200);
  });

  it("an admin cannot invite another spelling of an address", async () => {
    const admin = await signup(t, variants().plain, "Spellings");
    const orgId = await orgIdOf(admin);
    for (const email of variants().others) {
      const res = await admin.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/invitations`,
        payload: { email },
      });
      expect(res.statusCode, email).toBe(400);
      expect(json(res), email).toMatchObject({ error: { code: "invalid_request" } });
    }
    const pending = await t.database.db
      .selectFrom("invitations")
      .select("email")
      .where("org_id", "=", orgId)
      .execute();
    expect(pending).toEqual([]);
  });

  // Black-box finding (session 27): U+202E at the start of `bob@x.test` shows the address
  // reversed wherever it is listed (members, invitations, recipients, the audit log), and the
  // names beside it refuse such characters already.
  it("sign-up, invitations and recipients refuse bidirectional controls and C1 controls", async () => {
    const admin = await signup(t, variants().plain, "Controls");
    const orgId = await orgIdOf(admin);
    const local = `eve${(n += 1)}.${dialect}.${process.pid}`;
    const spoofs = [
      `\u202e${local}@example.test`,
      `${local}\u2066@example.test`,
      `${local}@example.test\u200f`,
      `${local}\u0085@example.test`,
    ];
    for (const email of spoofs) {
      const answers = [
        await t.app.inject({
          method: "POST",
          url: "/api/v1/auth/signup",
          payload: { email, password: GOOD_PASSWORD },
        }),
        await admin.inject({
          method: "POST",
          url: `/api/v1/orgs/${orgId}/invitations`,
          payload: { email },
        }),
        await admin.inject({
          method: "POST",
          url: "/api/v1/shares",
          payload: { ...(await buildShare()).body, recipients: [email] },
        }),
      ];
      for (const res of answers) {
        expect(res.statusCode, JSON.stringify(email)).toBe(400);
        const { error } = json<{
          error: { code: string; issues?: { path: string; message: string }[] };
        }>(res);
        expect(error.code).toBe("invalid_request");
        const atAddress = error.issues?.filter((i) => /^body\.(email|recipients\.0)$/.test(i.path));
        expect(
          atAddress?.map((i) => i.message),
          JSON.stringify(email),
        ).toContain("must not contain control characters");
      }
    }
    expect(await accountsLike(`eve${n}@`)).toBe(0);
    // Sign-in still takes any address, so nothing made before is locked out.
    expect((await signInAttempt(t, spoofs[0]!)).statusCode).toBe(401);
  });
});
