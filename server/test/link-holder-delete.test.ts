/**
 * DELETE /api/v1/shares/{id} with X-View-Token (issue 15, item 4): a link holder may destroy a
 * share only if they could open it now, under the reveal's rule (organization, recipients,
 * password through X-Verifier); a wrong verifier is a wrong password attempt.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { derivePasswordKeys, seal } from "@hushlink/protocol";

import { memberOf, orgIdOf, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM } from "./helpers/smtp.js";
import { createShare, json } from "./helpers/http.js";
import { liveSuite } from "./helpers/suite.js";

async function sealed(text: string, password?: string) {
  const s = await seal(text, password ? { password, kdf: FAST_KDF } : {});
  return { ...s, body: { ...s.body, expiresIn: 3600, maxViews: 5 } };
}

describe.each(testDialects)("a link holder's delete on %s", (dialect) => {
  const { t } = liveSuite(dialect, { MAIL_FROM: TEST_MAIL_FROM });
  let alice: Client;
  let bob: Client;
  let outsider: Client;

  beforeAll(async () => {
    alice = await signup(t, uniqueEmail("alice"), "Alice");
    bob = await memberOf(t, await orgIdOf(alice), uniqueEmail("bob"));
    // Signed in, but in an organization of their own.
    outsider = await signup(t, uniqueEmail("mallory"));
  });

  const anonymous: Pick<Client, "inject"> = {
    inject: ((opts: never) => t.app.inject(opts)) as Client["inject"],
  };

  const destroy = (c: Pick<Client, "inject">, id: string, headers: Record<string, string>) =>
    c.inject({ method: "DELETE", url: `/api/v1/shares/${id}`, headers } as never);
  const status = async (id: string) =>
    (await t.database.db
      .selectFrom("shares")
      .select(["status", "password_attempts_left"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow()) as { status: string; password_attempts_left: number | null };

  type Sealed = Awaited<ReturnType<typeof sealed>>;
  it.each<[string, (s: Sealed) => Record<string, unknown>]>([
    ["an organization-only share", (s) => ({ ...s.body, access: "organization" })],
    [
      "a recipient-only share",
      (s) => ({ ...s.body, recipients: [bob.email], delivery: { linkSecret: s.linkSecret } }),
    ],
  ])("refuses outsiders %s, and lets one who may open it destroy it", async (_, body) => {
    const s = await sealed("not for everyone");
    const created = await createShare(alice, body(s));
    expect(created.statusCode).toBe(201);
    const viewToken = { "x-view-token": s.body.viewToken };

    const signedOut = await destroy(anonymous, s.body.id, viewToken);
    expect(signedOut.statusCode).toBe(401);
    expect(json(signedOut)).toMatchObject({ error: { code: "login_required" } });
    const stranger = await destroy(outsider, s.body.id, viewToken);
    expect(stranger.statusCode).toBe(403);
    expect(json(stranger)).toMatchObject({ error: { code: "not_allowed" } });
    expect((await status(s.body.id)).status).toBe("active");

    expect((await destroy(bob, s.body.id, viewToken)).statusCode).toBe(204);
    expect((await status(s.body.id)).status).toBe("deleted");
  });

  it("needs the password's verifier, and counts a wrong one as a wrong password", async () => {
    const s = await sealed("behind a password", "correct horse");
    expect((await createShare(alice, s.body)).statusCode).toBe(201);
    const viewToken = { "x-view-token": s.body.viewToken };

    const bare = await destroy(anonymous, s.body.id, viewToken);
    expect(bare.statusCode).toBe(403);
    expect(json(bare)).toMatchObject({ error: { code: "password_required" } });
    expect(await status(s.body.id)).toEqual({ status: "active", password_attempts_left: 10 });

    const wrong = await derivePasswordKeys(s.linkSecret, "wrong horse", FAST_KDF);
    const refused = await destroy(anonymous, s.body.id, {
      ...viewToken,
      "x-verifier": wrong.verifier,
    });
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({
      error: { code: "wrong_password", attemptsRemaining: 9 },
    });
    // The same budget as the reveal: the reveal now has one attempt fewer.
    const reveal = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${s.body.id}/reveal`,
      payload: { viewToken: s.body.viewToken },
    });
    expect(json(reveal)).toMatchObject({
      error: { code: "password_required", attemptsRemaining: 9 },
    });
    const log = json<{ items: { type: string }[] }>(
      await alice.inject({ url: `/api/v1/shares/${s.body.id}/events` }),
    );
    expect(log.items.map((e) => e.type)).toEqual(["created", "wrong_password"]);

    const malformed = await destroy(anonymous, s.body.id, { ...viewToken, "x-verifier": "x" });
    expect(malformed.statusCode).toBe(400);

    const right = await derivePasswordKeys(s.linkSecret, "correct horse", FAST_KDF);
    expect(
      (await destroy(anonymous, s.body.id, { ...viewToken, "x-verifier": right.verifier }))
        .statusCode,
    ).toBe(204);
    expect((await status(s.body.id)).status).toBe("deleted");
  });

  it("locks the share when wrong verifiers use up the attempts", async () => {
    const s = await sealed("locked by deletes", "right one");
    await createShare(t.app, s.body);
    const wrong = await derivePasswordKeys(s.linkSecret, "not it", FAST_KDF);
    const headers = { "x-view-token": s.body.viewToken, "x-verifier": wrong.verifier };
    const answers = [];
    for (let i = 0; i < 10; i++)
      answers.push((await destroy(anonymous, s.body.id, headers)).json());
    expect(answers.at(-1)).toMatchObject({
      error: { code: "wrong_password", attemptsRemaining: 0 },
    });
    expect((await status(s.body.id)).status).toBe("locked");
    const right = await derivePasswordKeys(s.linkSecret, "right one", FAST_KDF);
    const after = await destroy(anonymous, s.body.id, { ...headers, "x-verifier": right.verifier });
    expect(after.statusCode).toBe(410);
    expect(json(after)).toMatchObject({ error: { code: "share_gone", reason: "locked" } });
  });

  it("still lets any holder of a plain link destroy it, and answers a wrong token as unknown", async () => {
    const s = await sealed("plain");
    await createShare(t.app, s.body);
    const other = await sealed("other");
    const wrongToken = await destroy(anonymous, s.body.id, {
      "x-view-token": other.body.viewToken,
    });
    expect(wrongToken.statusCode).toBe(404);
    expect(json(wrongToken)).toMatchObject({ error: { code: "share_not_found" } });
    expect(
      (await destroy(outsider, s.body.id, { "x-view-token": s.body.viewToken })).statusCode,
    ).toBe(204);
    const again = await destroy(anonymous, s.body.id, { "x-view-token": s.body.viewToken });
    expect(json(again)).toMatchObject({ error: { code: "share_gone", reason: "deleted" } });
  });
});
