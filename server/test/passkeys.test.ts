/**
 * Passkeys (SPEC F16): adding, naming and removing them, the passkey as the second step of a
 * sign-in, and a sign-in with a passkey alone, through the real app on SQLite and (with
 * TEST_DATABASE_URL) PostgreSQL. A software authenticator (helpers/passkeys.ts) answers the
 * server's options, rightly or, on purpose, wrongly; the clock is injected, nothing sleeps.
 */
import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";

import {
  GOOD_PASSWORD,
  memberOf,
  orgIdOf,
  signInAttempt,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCode, json } from "./helpers/http.js";
import {
  addPasskey,
  SoftAuthenticator,
  type AddedPasskey,
  type AnswerOptions,
} from "./helpers/passkeys.js";
import { enrolTotp } from "./helpers/second-factor.js";
import { clockPerTest, suiteApp } from "./helpers/suite.js";

interface Options {
  challenge: string;
  user: { id: string };
  excludeCredentials?: { id: string }[];
  allowCredentials?: { id: string }[];
  userVerification?: string;
  rpId?: string;
  rp: { id: string };
}

const hasSession = (res: LightMyRequestResponse) =>
  res.cookies.some((c) => c.name === "hl_session" && c.value !== "");

describe.each(testDialects)("passkeys on %s", (dialect) => {
  const t = suiteApp(dialect, { clock: clockPerTest() });

  const registrationOptions = async (client: Client) => {
    const res = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/passkeys/options",
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<Options>(res);
  };

  const addWith = (client: Client, credential: unknown, name = "Laptop") =>
    client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/passkeys",
      payload: { name, credential },
    });

  const login = (email: string, ip = "192.0.2.10") => signInAttempt(t, email, GOOD_PASSWORD, ip);

  async function pendingFor(email: string, ip = "192.0.2.10") {
    const res = await login(email, ip);
    expect(res.statusCode, res.body).toBe(202);
    return json<{ pendingToken: string; methods: string[] }>(res);
  }

  const secondStepOptions = async (pendingToken: string, ip = "192.0.2.10") => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor/passkey-options",
      payload: { pendingToken },
      remoteAddress: ip,
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<Options>(res);
  };

  const secondStep = (pendingToken: string, passkey: unknown, ip = "192.0.2.10") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor",
      payload: { pendingToken, passkey },
      remoteAddress: ip,
    });

  const passwordlessOptions = async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/login/passkey/options" });
    expect(res.statusCode, res.body).toBe(200);
    return json<Options>(res);
  };

  const passwordless = (credential: unknown, ip = "192.0.2.20") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/passkey",
      payload: { credential },
      remoteAddress: ip,
    });

  const status = async (client: Client) =>
    json<{ passkeys: { count: number }; recoveryCodes: { remaining: number } }>(
      await client.inject({ url: "/api/v1/auth/second-factor" }),
    );

  const list = async (client: Client) =>
    json<{ passkeys: AddedPasskey["passkey"][] }>(
      await client.inject({ url: "/api/v1/auth/second-factor/passkeys" }),
    ).passkeys;

  it("adds named passkeys: the first comes with recovery codes, and the account has a second factor", async () => {
    const client = await signup(t, uniqueEmail("pk-add"));
    const options = await registrationOptions(client);
    expect(options.rp.id).toBe("hushlink.test");
    expect(options.user.id).toBe(
      Buffer.from(await userIdOf(t, client.email)).toString("base64url"),
    );
    const key = new SoftAuthenticator();
    const first = await addWith(client, key.register(options), "  Work laptop ");
    expect(first.statusCode, first.body).toBe(201);
    const added = json<AddedPasskey>(first);
    expect(added.passkey).toMatchObject({ name: "Work laptop", lastUsedAt: null });
    expect(added.recoveryCodes).toHaveLength(10);

    t.clock.advance(1000);
    const second = await addPasskey(client, "Phone");
    expect(second.added.recoveryCodes).toBeNull();
    // The browser is told not to make another for an authenticator already added.
    const third = await registrationOptions(client);
    expect(third.excludeCredentials?.map((c) => c.id).sort()).toEqual(
      [key.id, second.key.id].sort(),
    );

    expect((await list(client)).map((p) => p.name)).toEqual(["Work laptop", "Phone"]);
    expect(await status(client)).toMatchObject({
      passkeys: { count: 2 },
      recoveryCodes: { remaining: 10 },
    });
    const me = json<{ secondFactor: { enabled: boolean } }>(
      await client.inject({ url: "/api/v1/auth/me" }),
    );
    expect(me.secondFactor.enabled).toBe(true);
    expect((await pendingFor(client.email)).methods).toEqual(["passkey", "recovery_code"]);
  });

  it("refuses a registration for another origin, another challenge, a used or expired challenge, someone else's, or twice the same passkey", async () => {
    const client = await signup(t, uniqueEmail("pk-bad-add"));
    const other = await signup(t, uniqueEmail("pk-bad-other"));
    const tryAdd = async (answer: AnswerOptions, options?: Options) => {
      const key = new SoftAuthenticator();
      const res = await addWith(
        client,
        key.register(options ?? (await registrationOptions(client)), answer),
      );
      expect(res.statusCode, res.body).toBe(400);
      return errorCode(res);
    };
    expect(await tryAdd({ origin: "https://evil.example" })).toBe("passkey_rejected");
    expect(await tryAdd({ type: "webauthn.get" })).toBe("passkey_rejected");
    expect(await tryAdd({ challenge: Buffer.from("made-up").toString("base64url") })).toBe(
      "passkey_challenge_expired",
    );
    // Options given to another account are not this one's.
    expect(await tryAdd({}, await registrationOptions(other))).toBe("passkey_challenge_expired");
    // Older than 5 minutes.
    const stale = await registrationOptions(client);
    t.clock.advance(5 * 60_000 + 1);
    expect(await tryAdd({}, stale)).toBe("passkey_challenge_expired");

    // A challenge is spent by its first answer, whatever came of it.
    const options = await registrationOptions(client);
    const key = new SoftAuthenticator();
    expect((await addWith(client, key.register(options))).statusCode).toBe(201);
    const again = await addWith(client, new SoftAuthenticator().register(options));
    expect(errorCode(again)).toBe("passkey_challenge_expired");
    // The same authenticator's credential again, to this or another account.
    const twice = await addWith(client, key.register(await registrationOptions(client)));
    expect(twice.statusCode).toBe(409);
    expect(errorCode(twice)).toBe("passkey_exists");
    const elsewhere = await addWith(other, key.register(await registrationOptions(other)));
    expect(errorCode(elsewhere)).toBe("passkey_exists");
    expect(await list(client)).toHaveLength(1);
    expect(await list(other)).toHaveLength(0);
  });

  it("of two answers to one challenge racing, exactly one is taken", async () => {
    const client = await signup(t, uniqueEmail("pk-race"));
    const options = await registrationOptions(client);
    const added = await Promise.all(
      [new SoftAuthenticator(), new SoftAuthenticator()].map((k) =>
        addWith(client, k.register(options)),
      ),
    );
    expect(added.map((r) => r.statusCode).sort()).toEqual([201, 400]);

    const { key } = await addPasskey(await signup(t, uniqueEmail("pk-race-signin")));
    const signin = await passwordlessOptions();
    const answers = await Promise.all([
      passwordless(key.assert(signin)),
      passwordless(key.assert(signin)),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    expect(answers.filter(hasSession)).toHaveLength(1);
  });

  it("completes a pending sign-in with the account's passkey, once per challenge, its counter only going forward", async () => {
    const client = await signup(t, uniqueEmail("pk-2fa"));
    const { key, added } = await addPasskey(client);
    const stranger = await addPasskey(await signup(t, uniqueEmail("pk-2fa-stranger")));

    const { pendingToken } = await pendingFor(client.email);
    const options = await secondStepOptions(pendingToken);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([key.id]);
    expect(options.rpId).toBe("hushlink.test");

    // Another account's passkey, another origin, another purpose's challenge: refused.
    const refusals: [SoftAuthenticator, AnswerOptions, string][] = [
      [stranger.key, {}, "passkey_rejected"],
      [key, { origin: "http://hushlink.test:8443" }, "passkey_rejected"],
      [key, { challenge: (await passwordlessOptions()).challenge }, "passkey_challenge_expired"],
    ];
    for (const [k, answer, code] of refusals) {
      const res = await secondStep(
        pendingToken,
        k.assert(await secondStepOptions(pendingToken), answer),
      );
      expect(res.statusCode, res.body).toBe(401);
      expect(errorCode(res)).toBe(code);
      expect(hasSession(res)).toBe(false);
    }
    const used = await secondStepOptions(pendingToken);
    const good = key.assert(used);
    const signedIn = await secondStep(pendingToken, good);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(hasSession(signedIn)).toBe(true);
    const [listed] = await list(client);
    expect(listed?.lastUsedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(listed?.id).toBe(added.passkey.id);

    // The same answer again, on a new pending sign-in: its challenge is spent.
    const next = await pendingFor(client.email);
    // A counter that did not move since the last use (a cloned authenticator).
    const cloned = await secondStep(
      next.pendingToken,
      key.assert(await secondStepOptions(next.pendingToken), { counter: key.counter }),
    );
    expect(errorCode(cloned)).toBe("passkey_rejected");
    const replay = await secondStep(next.pendingToken, good);
    expect(errorCode(replay)).toBe("passkey_challenge_expired");
    // A challenge of one pending sign-in does not complete another.
    const third = await pendingFor(client.email);
    const foreign = await secondStep(
      next.pendingToken,
      key.assert(await secondStepOptions(third.pendingToken)),
    );
    expect(foreign.statusCode).toBe(401);
  });

  it("counts refused passkeys toward the pending sign-in's limit and the back-off", async () => {
    const client = await signup(t, uniqueEmail("pk-limit"));
    const { key } = await addPasskey(client);
    const { pendingToken } = await pendingFor(client.email, "192.0.2.30");
    for (let i = 0; i < 5; i++) {
      const res = await secondStep(
        pendingToken,
        key.assert(await secondStepOptions(pendingToken, "192.0.2.30"), {
          origin: "http://x.test",
        }),
        "192.0.2.30",
      );
      expect(errorCode(res)).toBe("passkey_rejected");
    }
    const ended = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor/passkey-options",
      payload: { pendingToken },
      remoteAddress: "192.0.2.30",
    });
    expect(ended.statusCode, ended.body).toBe(401);
    expect(errorCode(ended)).toBe("sign_in_expired");
    // Five failures are free, the sixth pauses this address from this IP.
    const more = await pendingFor(client.email, "192.0.2.30");
    const sixth = await secondStep(
      more.pendingToken,
      key.assert(await secondStepOptions(more.pendingToken, "192.0.2.30"), {
        origin: "http://x.test",
      }),
      "192.0.2.30",
    );
    expect(errorCode(sixth)).toBe("passkey_rejected");
    expect((await login(client.email, "192.0.2.30")).statusCode).toBe(429);
  });

  it("signs in with a discoverable passkey alone, user verified, with a password sign-in's checks", async () => {
    const client = await signup(t, uniqueEmail("pk-alone"));
    const { key } = await addPasskey(client);
    const options = await passwordlessOptions();
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe("required");
    const res = await passwordless(key.assert(options));
    expect(res.statusCode, res.body).toBe(200);
    expect(hasSession(res)).toBe(true);
    expect(json<{ user: { email: string } }>(res).user.email).toBe(client.email);

    // Refused: a passkey nobody added, a person not verified, another site, a counter gone back.
    const refuse = async (credential: unknown, code: string) => {
      const refused = await passwordless(credential);
      expect(refused.statusCode, refused.body).toBe(401);
      expect(errorCode(refused)).toBe(code);
      expect(hasSession(refused)).toBe(false);
    };
    await refuse(new SoftAuthenticator().assert(await passwordlessOptions()), "passkey_rejected");
    await refuse(
      key.assert(await passwordlessOptions(), { userVerified: false }),
      "passkey_rejected",
    );
    await refuse(
      key.assert(await passwordlessOptions(), { origin: "https://hushlink.test" }),
      "passkey_rejected",
    );
    await refuse(key.assert(await passwordlessOptions(), { counter: 1 }), "passkey_rejected");
    // A user handle that is not the account's the passkey is stored under.
    const swapped = key.assert(await passwordlessOptions());
    swapped.response.userHandle = Buffer.from("someone-else").toString("base64url");
    await refuse(swapped, "passkey_rejected");
    // Options are for this purpose only: registration options do not sign in.
    await refuse(key.assert(await registrationOptions(client)), "passkey_challenge_expired");

    // While wrong passwords pause the address from this IP, the passkey is refused there too.
    for (let i = 0; i < 6; i++)
      await signInAttempt(t, client.email, "not-the-password-1", "192.0.2.40");
    const paused = await passwordless(key.assert(await passwordlessOptions()), "192.0.2.40");
    expect(paused.statusCode, paused.body).toBe(429);
    expect(errorCode(paused)).toBe("sign_in_paused");

    // An address no longer confirmed.
    await t.database.db
      .updateTable("users")
      .set({ email_verified_at: null })
      .where("email", "=", client.email)
      .execute();
    const unverified = await passwordless(key.assert(await passwordlessOptions()));
    expect(unverified.statusCode).toBe(403);
    expect(errorCode(unverified)).toBe("email_not_verified");
  });

  it("renames and removes only the account's own passkeys; the last factor takes the recovery codes", async () => {
    const owner = await signup(t, uniqueEmail("pk-owner"));
    const other = await signup(t, uniqueEmail("pk-other"));
    const { added } = await addPasskey(owner, "Old name");
    const url = `/api/v1/auth/second-factor/passkeys/${added.passkey.id}`;

    const foreignRename = await other.inject({ method: "PATCH", url, payload: { name: "Mine" } });
    expect(foreignRename.statusCode).toBe(404);
    expect(errorCode(foreignRename)).toBe("passkey_not_found");
    const foreignRemove = await other.inject({
      method: "DELETE",
      url,
      payload: { password: GOOD_PASSWORD },
    });
    expect(errorCode(foreignRemove)).toBe("passkey_not_found");
    const anonymous = await t.app.inject({ method: "PATCH", url, payload: { name: "x" } });
    expect(anonymous.statusCode).toBe(401);

    const renamed = await owner.inject({ method: "PATCH", url, payload: { name: "New name" } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(json<{ name: string }>(renamed).name).toBe("New name");
    expect((await list(owner))[0]?.name).toBe("New name");

    const wrong = await owner.inject({
      method: "DELETE",
      url,
      payload: { password: "nope-nope-1" },
    });
    expect(wrong.statusCode).toBe(403);
    expect(errorCode(wrong)).toBe("wrong_current_password");
    expect(await list(owner)).toHaveLength(1);
    const removed = await owner.inject({
      method: "DELETE",
      url,
      payload: { password: GOOD_PASSWORD },
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await status(owner)).toMatchObject({
      passkeys: { count: 0 },
      recoveryCodes: { remaining: 0 },
    });
    // No factor left: the password alone signs in again.
    expect((await login(owner.email)).statusCode).toBe(200);
  });

  it("keeps the recovery codes while another factor remains, TOTP or passkey", async () => {
    const client = await signup(t, uniqueEmail("pk-both"));
    await enrolTotp(t, client);
    const { added } = await addPasskey(client);
    expect(added.recoveryCodes).toBeNull();
    expect((await pendingFor(client.email)).methods).toEqual(["totp", "passkey", "recovery_code"]);
    const off = await client.inject({
      method: "DELETE",
      url: "/api/v1/auth/second-factor/totp",
      payload: { password: GOOD_PASSWORD },
    });
    expect(off.statusCode).toBe(204);
    expect(await status(client)).toMatchObject({ recoveryCodes: { remaining: 10 } });
    expect((await pendingFor(client.email)).methods).toEqual(["passkey", "recovery_code"]);
  });

  it("counts as a second factor for the organization's rule, the members list and the admin's reset", async () => {
    const admin = await signup(t, uniqueEmail("pk-admin"));
    await enrolTotp(t, admin);
    const orgId = await orgIdOf(admin);
    const member = await memberOf(t, orgId, uniqueEmail("pk-member"));
    const require2fa = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/security`,
      payload: { requireSecondFactor: true },
    });
    expect(require2fa.statusCode).toBe(200);
    const gated = await member.inject({ url: `/api/v1/orgs/${orgId}/members` });
    expect(errorCode(gated)).toBe("second_factor_required");
    // Adding a passkey is part of enrolment, open while gated.
    const { key } = await addPasskey(member);
    expect((await member.inject({ url: `/api/v1/orgs/${orgId}/members` })).statusCode).toBe(200);
    const members = json<{ items: { email: string; secondFactor: boolean }[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/members` }),
    ).items;
    expect(members.find((m) => m.email === member.email)?.secondFactor).toBe(true);

    const reset = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, member.email)}/second-factor`,
    });
    expect(reset.statusCode, reset.body).toBe(204);
    expect(await status(member)).toMatchObject({
      passkeys: { count: 0 },
      recoveryCodes: { remaining: 0 },
    });
    expect(errorCode(await member.inject({ url: `/api/v1/orgs/${orgId}/members` }))).toBe(
      "second_factor_required",
    );
    // The removed passkey signs in nobody.
    const gone = await passwordless(key.assert(await passwordlessOptions()));
    expect(errorCode(gone)).toBe("passkey_rejected");
  });

  it("sweeps challenges nobody answered", async () => {
    const client = await signup(t, uniqueEmail("pk-sweep"));
    await registrationOptions(client);
    await passwordlessOptions();
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom("webauthn_challenges")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("expires_at", "<=", t.clock.now())
            .executeTakeFirstOrThrow()
        ).n,
      );
    t.clock.advance(5 * 60_000);
    expect(await count()).toBeGreaterThanOrEqual(2);
    await t.services.sweeper.runOnce();
    expect(await count()).toBe(0);
  });
});
