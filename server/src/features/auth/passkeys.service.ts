/**
 * Passkeys (WebAuthn through @simplewebauthn/server, SPEC F16): an account adds, names and
 * removes several; one completes a pending sign-in instead of an authenticator code, or signs in
 * alone (a discoverable credential, user verification required). The relying party is PUBLIC_URL:
 * its hostname is the RP ID and its origin the only one accepted. Challenges live in the database
 * (passkeys.repository.ts), so the instance that checks an answer need not be the one that asked.
 */
import type { Kysely } from "kysely";

import type {
  Passkey,
  PasskeyAssertion,
  PasskeyCreationOptions,
  PasskeyRegistrationCredential,
  PasskeyRequestOptions,
} from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError, ConflictError, NotFoundError, UnauthorizedError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { hashToken, newId } from "../../lib/tokens.js";
import * as repo from "./passkeys.repository.js";
import { issueRecoveryCodes } from "./recovery-codes.js";
import * as factors from "./second-factor.repository.js";

/** Loaded at the first passkey ceremony: most instances never see one (idle memory, issue 24). */
const loadWebAuthn = () => import("@simplewebauthn/server");

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** What the browser is told to wait for the person (the challenge outlives it). */
const CEREMONY_TIMEOUT_MS = 2 * 60 * 1000;

type Purpose = "register" | "second_factor" | "passwordless";
/** 400 while adding one (the caller is signed in), 401 at sign-in. */
type Stage = "add" | "signin";

const rejected = (stage: Stage, message: string) =>
  stage === "add"
    ? new BadRequestError("passkey_rejected", message)
    : new UnauthorizedError("passkey_rejected", message);

const expired = (stage: Stage) => {
  const message =
    "This passkey request has expired or was used already. Try again: your browser will ask once more.";
  return stage === "add"
    ? new BadRequestError("passkey_challenge_expired", message)
    : new UnauthorizedError("passkey_challenge_expired", message);
};

/** The challenge the browser signed, read from clientDataJSON (checked again by the library). */
function challengeOf(clientDataJSON: string, stage: Stage): string {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as unknown;
    if (data !== null && typeof data === "object" && "challenge" in data) {
      const { challenge } = data;
      if (typeof challenge === "string" && challenge.length > 0) return challenge;
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw rejected(stage, "The passkey's answer could not be read.");
}

const toPasskey = (row: {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}): Passkey => ({
  id: row.id,
  name: row.name,
  createdAt: new Date(row.created_at).toISOString(),
  lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
});

/**
 * The library's options as the protocol's schema types them: the same JSON, which the schema
 * passes through whole (the DOM's dictionary types have no index signature to match).
 */
const asJson = <T>(options: object) => options as T;

const transportsOf = (json: string | null): string[] | undefined =>
  json === null ? undefined : (JSON.parse(json) as string[]);

export function createPasskeysService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  publicUrl: string;
  mail: MailQueue;
}) {
  const { database, clock, mail } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);
  const rpID = new URL(deps.publicUrl).hostname;
  const origin = new URL(deps.publicUrl).origin;

  async function saveChallenge(
    challenge: string,
    purpose: Purpose,
    bound: { userId?: string; pendingHash?: string },
  ) {
    const now = clock.now();
    await repo.insertChallenge(database.db, {
      challenge_hash: hashToken(challenge),
      purpose,
      user_id: bound.userId ?? null,
      pending_hash: bound.pendingHash ?? null,
      created_at: now,
      expires_at: now + CHALLENGE_TTL_MS,
    });
  }

  /** Spends the challenge the answer carries, or throws: one DELETE, so one answer per challenge. */
  async function spendChallenge(
    clientDataJSON: string,
    purpose: Purpose,
    bound: { userId?: string; pendingHash?: string },
    stage: Stage,
  ): Promise<string> {
    const challenge = challengeOf(clientDataJSON, stage);
    const taken = await repo.takeChallenge(database.db, {
      challengeHash: hashToken(challenge),
      purpose,
      ...bound,
      now: clock.now(),
    });
    if (!taken) throw expired(stage);
    return challenge;
  }

  async function requestOptions(allow: { credential_id: string; transports: string | null }[]) {
    const { generateAuthenticationOptions } = await loadWebAuthn();
    return generateAuthenticationOptions({
      rpID,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: allow.length === 0 ? "required" : "preferred",
      allowCredentials: allow.map((c) => {
        const transports = transportsOf(c.transports);
        return { id: c.credential_id, ...(transports ? { transports } : {}) };
      }),
    });
  }

  /**
   * Checks an assertion against the stored passkey and records its use; the account's id. The
   * challenge was spent already. `userId`, when known (a second step), must own the passkey.
   */
  async function verifyAssertion(
    credential: PasskeyAssertion,
    challenge: string,
    options: { userId?: string; requireUserVerification: boolean },
  ): Promise<string> {
    const unknown = () =>
      rejected("signin", "This passkey is not one of this account's. Use another one.");
    const row = await repo.findByCredential(database.db, credential.id);
    if (!row || (options.userId !== undefined && row.user_id !== options.userId)) throw unknown();
    // The account the authenticator holds the key for must be the one the key is stored under.
    const handle = credential.response.userHandle;
    if (handle !== undefined && handle !== Buffer.from(row.user_id).toString("base64url"))
      throw unknown();
    const { verifyAuthenticationResponse } = await loadWebAuthn();
    let newCounter: number;
    try {
      const result = await verifyAuthenticationResponse({
        response: credential as Parameters<typeof verifyAuthenticationResponse>[0]["response"],
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: options.requireUserVerification,
        credential: {
          id: row.credential_id,
          publicKey: new Uint8Array(Buffer.from(row.public_key, "base64url")),
          counter: row.sign_count,
        },
      });
      if (!result.verified) throw new Error("not verified");
      newCounter = result.authenticationInfo.newCounter;
    } catch {
      throw rejected("signin", "Your passkey's answer did not check out. Try again.");
    }
    const recorded = await repo.recordUse(database.db, {
      id: row.id,
      from: row.sign_count,
      counter: newCounter,
      now: clock.now(),
    });
    if (!recorded) throw rejected("signin", "Your passkey's answer did not check out. Try again.");
    return row.user_id;
  }

  return {
    list: async (userId: string) => ({
      passkeys: (await repo.listPasskeys(database.db, userId)).map(toPasskey),
    }),

    count: (userId: string) => repo.countPasskeys(database.db, userId),

    /** Options to create a passkey for this account (its existing ones excluded). */
    async registrationOptions(user: {
      id: string;
      email: string;
      name: string | null;
    }): Promise<PasskeyCreationOptions> {
      const { generateRegistrationOptions } = await loadWebAuthn();
      const existing = await repo.credentialsOf(database.db, user.id);
      const options = await generateRegistrationOptions({
        rpName: "Hushlink",
        rpID,
        userID: new Uint8Array(Buffer.from(user.id)),
        userName: user.email,
        userDisplayName: user.name ?? user.email,
        timeout: CEREMONY_TIMEOUT_MS,
        attestationType: "none",
        // Discoverable, so the same passkey also signs in without a password.
        authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
        excludeCredentials: existing.map((c) => {
          const transports = transportsOf(c.transports);
          return { id: c.credential_id, ...(transports ? { transports } : {}) };
        }),
      });
      await saveChallenge(options.challenge, "register", { userId: user.id });
      return asJson<PasskeyCreationOptions>(options);
    },

    /**
     * Adds the passkey the browser made for the options above, and mails the account. The
     * account's first second factor comes with ten recovery codes, as an authenticator app does.
     */
    async add(
      user: { id: string; email: string },
      input: { name: string; credential: PasskeyRegistrationCredential },
    ) {
      const userId = user.id;
      const { credential } = input;
      const challenge = await spendChallenge(
        credential.response.clientDataJSON,
        "register",
        { userId },
        "add",
      );
      const { verifyRegistrationResponse } = await loadWebAuthn();
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await verifyRegistrationResponse({
          response: credential as Parameters<typeof verifyRegistrationResponse>[0]["response"],
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
        });
      } catch {
        verified = { verified: false };
      }
      if (!verified.verified)
        throw rejected("add", "Your passkey's answer did not check out. Try adding it again.");
      const made = verified.registrationInfo.credential;
      const now = clock.now();
      const row = {
        id: newId(),
        user_id: userId,
        credential_id: made.id,
        public_key: Buffer.from(made.publicKey).toString("base64url"),
        sign_count: made.counter,
        transports: credential.response.transports
          ? JSON.stringify(credential.response.transports)
          : null,
        name: input.name,
        created_at: now,
        last_used_at: null,
      };
      const recoveryCodes = await tx(async (trx) => {
        // Under the account's lock: an authenticator turned off meanwhile is seen as gone, so a
        // first passkey then gets codes (second-factor.repository.ts).
        await factors.lockFactors(trx, database.dialect, userId);
        if (!(await repo.insertPasskey(trx, row))) return false;
        // Told to the owner in the same transaction: a passkey someone else added signs in
        // alone. Its name is not in the mail: whoever added it typed it.
        await mail.enqueue(trx, { kind: "passkey_added", to: user.email, data: { addedAt: now } });
        const totp = await factors.findTotp(trx, userId);
        const first = totp?.confirmed_at == null && (await repo.countPasskeys(trx, userId)) === 1;
        return first ? issueRecoveryCodes(trx, userId, now) : null;
      });
      if (recoveryCodes === false)
        throw new ConflictError("passkey_exists", "This passkey is added to an account already.");
      mail.kick?.();
      return { passkey: toPasskey(row), recoveryCodes };
    },

    async get(userId: string, id: string) {
      const row = await repo.findPasskey(database.db, userId, id);
      if (!row) throw notFound();
      return toPasskey(row);
    },

    async rename(userId: string, id: string, name: string) {
      if (!(await repo.renamePasskey(database.db, { userId, id, name }))) throw notFound();
      const row = await repo.findPasskey(database.db, userId, id);
      if (!row) throw notFound();
      return toPasskey(row);
    },

    /** Removes one (the caller proved the password); the recovery codes go with the last factor. */
    async remove(userId: string, id: string) {
      const done = await tx(async (trx) => {
        await factors.lockFactors(trx, database.dialect, userId);
        if (!(await repo.deletePasskey(trx, userId, id))) return false;
        await factors.deleteRecoveryCodesIfNoFactor(trx, userId);
        return true;
      });
      if (!done) throw notFound();
    },

    /** An admin's reset, inside its transaction. */
    removeAllOf: (trx: Kysely<Database>, userId: string) => repo.deletePasskeysOf(trx, userId),

    /** Options for the second step of a sign-in: the account's own passkeys. */
    async secondFactorOptions(userId: string, pendingHash: string): Promise<PasskeyRequestOptions> {
      const options = await requestOptions(await repo.credentialsOf(database.db, userId));
      await saveChallenge(options.challenge, "second_factor", { pendingHash });
      return asJson<PasskeyRequestOptions>(options);
    },

    /** Checks a passkey at the second step; throws 401 passkey_rejected or …_challenge_expired. */
    async verifySecondFactor(userId: string, pendingHash: string, credential: PasskeyAssertion) {
      const challenge = await spendChallenge(
        credential.response.clientDataJSON,
        "second_factor",
        { pendingHash },
        "signin",
      );
      await verifyAssertion(credential, challenge, { userId, requireUserVerification: false });
    },

    /** Options for a sign-in without an address: any discoverable passkey of this site. */
    async passwordlessOptions(): Promise<PasskeyRequestOptions> {
      const options = await requestOptions([]);
      await saveChallenge(options.challenge, "passwordless", {});
      return asJson<PasskeyRequestOptions>(options);
    },

    /**
     * The account a discoverable passkey signs in, its user verified (the person unlocked the
     * authenticator): possession and a PIN or biometric, so no second step follows.
     */
    async verifyPasswordless(credential: PasskeyAssertion): Promise<string> {
      const challenge = await spendChallenge(
        credential.response.clientDataJSON,
        "passwordless",
        {},
        "signin",
      );
      return verifyAssertion(credential, challenge, { requireUserVerification: true });
    },

    /** The expired challenges (the sweep). */
    sweep: (now: number) => repo.sweepChallenges(database.db, now),
  };
}

const notFound = () => new NotFoundError("passkey_not_found", "No such passkey on your account.");

export type PasskeysService = ReturnType<typeof createPasskeysService>;
