/**
 * `hushlink login --email` (SPEC F16): the built command signs in with the password against the
 * real app listening on 127.0.0.1 and stores a new API token. An account with an authenticator
 * app is asked for its code on a real terminal (a pseudo-terminal through `script`); codes are
 * computed with otplib from the enrolled secret at the app's injected clock. Without a terminal,
 * or with --no-prompt, the command says to use an API token and exits non-zero.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  GOOD_PASSWORD,
  memberOf,
  orgIdOf,
  sessionMethodsOf,
  signup,
  uniqueEmail,
  type Client,
} from "../../server/test/helpers/accounts.js";
import { createTestApp, type TestApp } from "../../server/test/helpers/app.js";
import { clockPerTest } from "../../server/test/helpers/suite.js";
import { json } from "../../server/test/helpers/http.js";
import { addPasskey } from "../../server/test/helpers/passkeys.js";
import {
  enrolTotp,
  TOTP_STEP_MS,
  totpAt,
  wrongCode,
} from "../../server/test/helpers/second-factor.js";
import { EXIT } from "../src/lib/errors.js";
import { hushlink } from "./live-server.js";
import { hushlinkOnTerminal } from "./on-terminal.js";

const PASSWORD_PROMPT = /Password: $/;
const CODE_PROMPT = /authenticator app \(or a recovery code\): $/;
const RECOVERY_PROMPT = /Recovery code: $/;

describe("hushlink login with a password", () => {
  let t: TestApp;
  let base: string;
  // Tests move the clock (the next authenticator code): each moves its own.
  const clock = clockPerTest();

  beforeAll(async () => {
    t = await createTestApp("sqlite", { clock });
    base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => t.close());

  const workDir = () => mkdtempSync(join(tmpdir(), "hushlink-login-"));
  const storedToken = (work: string): string | undefined => {
    const path = join(work, "config/hushlink/config.json");
    if (!existsSync(path)) return undefined;
    return (JSON.parse(readFileSync(path, "utf8")) as { token?: string }).token;
  };
  const whoHas = async (token: string) =>
    t.app.inject({ url: "/api/v1/auth/me", headers: { authorization: `Bearer ${token}` } });

  /** `hushlink login --email` on a terminal: the password typed, then the prompts that follow. */
  const loginOnTerminal = (work: string, email: string, then: { after: RegExp; type: string }[]) =>
    hushlinkOnTerminal(
      work,
      ["login", "--server", base, "--email", email],
      [{ after: PASSWORD_PROMPT, type: GOOD_PASSWORD }, ...then],
    );

  async function enrolled(name: string) {
    const client = await signup(t, uniqueEmail(name));
    const factor = await enrolTotp(t, client);
    // The code that confirmed the app is spent: the sign-in takes the next step's.
    t.clock.advance(TOTP_STEP_MS);
    return { client, ...factor };
  }

  const sessionsOf = async (email: string) => (await sessionMethodsOf(t, email)).length;

  it("asks for the authenticator code on the terminal, again after a wrong one, and stores a token", async () => {
    const { client, secret } = await enrolled("cli-totp");
    const work = workDir();
    const good = await totpAt(t, secret);
    const sessionsBefore = await sessionsOf(client.email);
    const run = await loginOnTerminal(work, client.email, [
      { after: CODE_PROMPT, type: wrongCode(good) },
      { after: CODE_PROMPT, type: good },
    ]);
    expect(run.output).toContain("That code is wrong or was used already");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Logged in to ${base} as ${client.email}.`);
    // Nothing typed is echoed.
    expect(run.output).not.toContain(GOOD_PASSWORD);
    expect(run.output).not.toContain(good);

    const token = storedToken(work);
    expect(token).toBeDefined();
    const me = await whoHas(token!);
    expect(me.statusCode).toBe(200);
    expect(json(me)).toMatchObject({ user: { email: client.email } });
    const tokens = json<{ items: { name: string; scope: string }[] }>(
      await client.inject({ url: "/api/v1/tokens" }),
    );
    expect(tokens.items).toHaveLength(1);
    expect(tokens.items[0]!.name).toMatch(/^hushlink on /);
    expect(tokens.items[0]!.scope).toBe("full");
    // The session that made the token is signed out again.
    expect(await sessionsOf(client.email)).toBe(sessionsBefore);
    // The wrong code is in the organization's audit log, as for the web.
    const audit = await client.inject({ url: `/api/v1/orgs/${await orgIdOf(client)}/audit` });
    expect(audit.body).toContain('"type":"signin.second_factor_failed"');
  });

  it("takes a recovery code at the same prompt", async () => {
    const { client, recoveryCodes } = await enrolled("cli-recovery");
    const work = workDir();
    const run = await loginOnTerminal(work, client.email, [
      { after: CODE_PROMPT, type: recoveryCodes[0]! },
    ]);
    expect(run.code, run.output).toBe(0);
    expect((await whoHas(storedToken(work)!)).statusCode).toBe(200);
    expect(json(await client.inject({ url: "/api/v1/auth/second-factor" }))).toMatchObject({
      recoveryCodes: { remaining: 9 },
    });
  });

  it("an account whose only second factor is a passkey is asked for a recovery code, and told why", async () => {
    const client = await signup(t, uniqueEmail("cli-passkey"));
    const { added } = await addPasskey(client);
    const recoveryCodes = added.recoveryCodes!;

    const work = workDir();
    const run = await loginOnTerminal(work, client.email, [
      { after: RECOVERY_PROMPT, type: recoveryCodes[0]! },
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("second factor is a passkey, which only a browser can use");
    expect(run.output).not.toMatch(CODE_PROMPT);
    expect((await whoHas(storedToken(work)!)).statusCode).toBe(200);

    // Nothing typed at the prompt: no token, and the way to one is named.
    const empty = workDir();
    const stopped = await loginOnTerminal(empty, client.email, [
      { after: RECOVERY_PROMPT, type: "" },
    ]);
    expect(stopped.code, stopped.output).toBe(EXIT.denied);
    expect(stopped.output).toContain("hushlink login --token");
    expect(storedToken(empty)).toBeUndefined();
  });

  it("without a terminal, or with --no-prompt, says to use an API token and exits non-zero", async () => {
    const { client } = await enrolled("cli-script");
    for (const extra of [[], ["--no-prompt"]]) {
      const work = workDir();
      // The password piped in; no terminal to ask for the code (the process has none).
      const run = await hushlink(base, work, ["login", "--email", client.email, ...extra], {
        input: `${GOOD_PASSWORD}\n`,
      });
      expect(run.code, run.stderr).toBe(EXIT.denied);
      expect(run.stderr).toContain("This account signs in with a second factor");
      expect(run.stderr).toContain("hushlink login --token");
      expect(storedToken(work)).toBeUndefined();
    }
    // No token was made on the way.
    expect(
      json<{ items: unknown[] }>(await client.inject({ url: "/api/v1/tokens" })).items,
    ).toEqual([]);
  });

  it("signs in without a second factor from a piped password, and says why when a token is refused", async () => {
    const plain = await signup(t, uniqueEmail("cli-plain"));
    const work = workDir();
    const ok = await hushlink(base, work, ["login", "--email", plain.email, "--no-prompt"], {
      input: `${GOOD_PASSWORD}\n`,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await whoHas(storedToken(work)!)).statusCode).toBe(200);

    const wrong = await hushlink(base, workDir(), ["login", "--email", plain.email], {
      input: "not the password\n",
    });
    expect(wrong.code).toBe(EXIT.denied);
    expect(wrong.stderr).toContain("(invalid_credentials)");

    // A member of an organization that requires a second factor, without one: no token.
    const admin: Client = await signup(t, uniqueEmail("cli-admin"));
    const orgId = await orgIdOf(admin);
    await enrolTotp(t, admin);
    const member = await memberOf(t, orgId, uniqueEmail("cli-member"));
    const required = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/security`,
      payload: { requireSecondFactor: true },
    });
    expect(required.statusCode, required.body).toBe(200);
    const gated = await hushlink(base, workDir(), ["login", "--email", member.email], {
      input: `${GOOD_PASSWORD}\n`,
    });
    expect(gated.code).toBe(EXIT.denied);
    expect(gated.stderr).toContain("(second_factor_required)");
  });
});
