/**
 * Recovery codes live exactly as long as a second factor does (SPEC F16), also when factors are
 * added and removed at the same moment: concurrent requests over real HTTP on SQLite and
 * PostgreSQL, and on PostgreSQL the interleaving that broke it forced with a real row lock held
 * by the test (a count of passkeys read before the write transaction, or a decision taken on a
 * READ COMMITTED snapshot, let an app turned off while a first passkey was added leave the
 * passkey with no recovery codes, and the last passkey removed while the app was turned off
 * leave codes with no factor).
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { signupLive, type LiveClient } from "./helpers/live.js";
import { SoftAuthenticator } from "./helpers/passkeys.js";
import { totpAt } from "./helpers/second-factor.js";
import { listeningApp } from "./helpers/suite.js";

const SF = "/api/v1/auth/second-factor";
const ROUNDS = 5;

describe.each(testDialects)("second factors changing at once on %s", (dialect) => {
  const live = listeningApp(dialect);
  const { t } = live;

  const userIdOf = async (client: LiveClient) =>
    (await client.get<{ user: { id: string } }>("/api/v1/auth/me")).body.user.id;

  async function enrolTotp(client: LiveClient) {
    const started = await client.post<{ secret: string }>(`${SF}/totp`);
    expect(started.status, started.text).toBe(200);
    const code = await totpAt(t, started.body.secret);
    const confirmed = await client.post(`${SF}/totp/confirm`, { code });
    expect(confirmed.status, confirmed.text).toBe(200);
  }

  /** The answer a new authenticator gives to fresh registration options (not yet sent). */
  async function passkeyAnswer(client: LiveClient) {
    const options = await client.post<{ challenge: string; user: { id: string } }>(
      `${SF}/passkeys/options`,
    );
    expect(options.status, options.text).toBe(200);
    return new SoftAuthenticator().register(options.body);
  }

  const addPasskey = (client: LiveClient, credential: unknown) =>
    client.post<{ passkey: { id: string } }>(`${SF}/passkeys`, { name: "Key", credential });

  async function addedPasskey(client: LiveClient) {
    const added = await addPasskey(client, await passkeyAnswer(client));
    expect(added.status, added.text).toBe(201);
    return added.body.passkey.id;
  }

  const proof = { body: { password: GOOD_PASSWORD } };
  const removeTotp = (client: LiveClient) => client.call("DELETE", `${SF}/totp`, proof);
  const removePasskey = (client: LiveClient, id: string) =>
    client.call("DELETE", `${SF}/passkeys/${id}`, proof);
  const regenerate = (client: LiveClient) =>
    client.post(`${SF}/recovery-codes`, { password: GOOD_PASSWORD });

  /** The account's factors in force and its recovery codes, as stored. */
  async function stored(userId: string) {
    const db = t.database.db;
    const count = async (table: "passkeys" | "recovery_codes") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("user_id", "=", userId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const totp = await db
      .selectFrom("user_totp")
      .select("confirmed_at")
      .where("user_id", "=", userId)
      .where("confirmed_at", "is not", null)
      .executeTakeFirst();
    return {
      totp: totp !== undefined,
      passkeys: await count("passkeys"),
      codes: await count("recovery_codes"),
    };
  }

  async function account() {
    const client = await signupLive(live.base);
    return { client, userId: await userIdOf(client) };
  }

  it("an app turned off while a first passkey is added leaves the passkey its recovery codes", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { client, userId } = await account();
      await enrolTotp(client);
      const credential = await passkeyAnswer(client);
      const [off, added] = await Promise.all([removeTotp(client), addPasskey(client, credential)]);
      expect([off.status, added.status], `${off.text} ${added.text}`).toEqual([204, 201]);
      expect(await stored(userId), `round ${round}`).toEqual({
        totp: false,
        passkeys: 1,
        codes: 10,
      });
    }
  });

  it("the last passkey removed while the app is turned off takes the codes; one factor left keeps them", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { client, userId } = await account();
      await enrolTotp(client);
      const first = await addedPasskey(client);
      const keepOne = round % 2 === 1;
      if (keepOne) await addedPasskey(client);
      const answers = await Promise.all([removeTotp(client), removePasskey(client, first)]);
      expect(answers.map((a) => a.status)).toEqual([204, 204]);
      expect(await stored(userId), `round ${round}`).toEqual({
        totp: false,
        passkeys: keepOne ? 1 : 0,
        codes: keepOne ? 10 : 0,
      });
    }
  });

  it("codes made while the only factor is turned off do not outlive it", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { client, userId } = await account();
      await enrolTotp(client);
      const [off, made] = await Promise.all([removeTotp(client), regenerate(client)]);
      expect(off.status, off.text).toBe(204);
      // Made before the app went (and gone with it), or refused after.
      expect([200, 409]).toContain(made.status);
      expect(await stored(userId), `round ${round}`).toEqual({
        totp: false,
        passkeys: 0,
        codes: 0,
      });
    }
  });

  // Only PostgreSQL can interleave two writers (SQLite has one); declared only there, since a
  // skipped test fails CI's run-everything rule.
  if (dialect === "postgres")
    describe("the interleaving forced", () => {
      /** Backends of this database waiting for a lock. */
      const waiting = async () =>
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(t.database.db)
          ).rows[0]!.n,
        );
      const until = async (test: () => Promise<boolean>) => {
        for (let i = 0; i < 500 && !(await test()); i++)
          await new Promise((resolve) => setTimeout(resolve, 10));
      };

      /**
       * Holds the account's user_totp row while `first` starts (so it stops at its DELETE of the
       * app, whatever it decided before), then runs `second` until it ends or waits too; releases.
       */
      async function interleave<A, B>(
        userId: string,
        first: () => Promise<A>,
        second: () => Promise<B>,
      ): Promise<[A, B]> {
        let a!: Promise<A>;
        let b!: Promise<B>;
        await t.database.db.transaction().execute(async (trx) => {
          await trx
            .selectFrom("user_totp")
            .select("user_id")
            .where("user_id", "=", userId)
            .forUpdate()
            .execute();
          a = first();
          await until(async () => (await waiting()) >= 1);
          let settled = false;
          b = second().finally(() => {
            settled = true;
          });
          await until(async () => settled || (await waiting()) >= 2);
        });
        return Promise.all([a, b]);
      }

      it("a first passkey added between the app's removal reading and writing keeps codes", async () => {
        const { client, userId } = await account();
        await enrolTotp(client);
        const credential = await passkeyAnswer(client);
        const [off, added] = await interleave(
          userId,
          () => removeTotp(client),
          () => addPasskey(client, credential),
        );
        expect([off.status, added.status], `${off.text} ${added.text}`).toEqual([204, 201]);
        expect(await stored(userId)).toEqual({ totp: false, passkeys: 1, codes: 10 });
      });

      it("the last passkey removed during the app's removal takes the codes with it", async () => {
        const { client, userId } = await account();
        await enrolTotp(client);
        const only = await addedPasskey(client);
        const [off, removed] = await interleave(
          userId,
          () => removeTotp(client),
          () => removePasskey(client, only),
        );
        expect([off.status, removed.status]).toEqual([204, 204]);
        expect(await stored(userId)).toEqual({ totp: false, passkeys: 0, codes: 0 });
      });
    });
});
