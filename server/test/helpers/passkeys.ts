/**
 * A software authenticator for the passkey tests: an ES256 key pair, authenticatorData and
 * clientDataJSON built by hand, a 'none' attestation in CBOR. It answers the options the server
 * gives as a browser with a platform authenticator would, and can be told to answer wrongly
 * (another origin, another challenge, a counter that goes back) so the server's checks are tested.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

import { expect } from "vitest";

import type { PasskeyAssertion, PasskeyRegistrationCredential } from "@hushlink/protocol";

import { GOOD_PASSWORD, signInAttempt, type Client } from "./accounts.js";
import type { TestApp } from "./app.js";
import { json } from "./http.js";

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

/** The little CBOR an attestation needs: maps, small ints, text and byte strings. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(length, 1);
  return b;
}
function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface AnswerOptions {
  origin?: string;
  /** Sign this challenge instead of the one given. */
  challenge?: string;
  /** The counter to report (default: one more than the last). */
  counter?: number;
  /** Whether the person was verified (PIN, biometric). */
  userVerified?: boolean;
  /** The type clientDataJSON names. */
  type?: string;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly cose: Buffer;
  counter = 0;
  /** The user handle the server gave at registration (base64url), as a resident key keeps it. */
  userHandle: string | null = null;

  constructor(
    readonly origin = "http://hushlink.test",
    readonly rpId = new URL(origin).hostname,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    this.cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
  }

  get id() {
    return b64u(this.credentialId);
  }

  private clientData(type: string, challenge: string, origin: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private authData(flags: number, counter: number, attested?: Buffer) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([
      sha256(this.rpId),
      Buffer.from([flags]),
      count,
      attested ?? Buffer.alloc(0),
    ]);
  }

  /** The answer to registration options (`navigator.credentials.create()`). */
  register(
    options: { challenge: string; user: { id: string } },
    answer: AnswerOptions = {},
  ): PasskeyRegistrationCredential {
    this.userHandle = options.user.id;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.cose]);
    const flags = UP | (answer.userVerified === false ? 0 : UV) | AT;
    const authData = this.authData(flags, this.counter, attested);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const clientDataJSON = this.clientData(
      answer.type ?? "webauthn.create",
      answer.challenge ?? options.challenge,
      answer.origin ?? this.origin,
    );
    return this.credential({
      clientDataJSON: b64u(clientDataJSON),
      attestationObject: b64u(attestationObject),
      transports: ["internal"],
    });
  }

  /** The answer to request options (`navigator.credentials.get()`): a signed challenge. */
  assert(options: { challenge: string }, answer: AnswerOptions = {}): PasskeyAssertion {
    const counter = answer.counter ?? this.counter + 1;
    this.counter = Math.max(this.counter, counter);
    const flags = UP | (answer.userVerified === false ? 0 : UV);
    const authenticatorData = this.authData(flags, counter);
    const clientDataJSON = this.clientData(
      answer.type ?? "webauthn.get",
      answer.challenge ?? options.challenge,
      answer.origin ?? this.origin,
    );
    const signature = sign(
      "sha256",
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      this.privateKey,
    );
    return this.credential({
      clientDataJSON: b64u(clientDataJSON),
      authenticatorData: b64u(authenticatorData),
      signature: b64u(signature),
      ...(this.userHandle !== null ? { userHandle: this.userHandle } : {}),
    });
  }

  /** The PublicKeyCredential JSON around either answer, as a platform authenticator sends it. */
  private credential<Response>(response: Response) {
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response,
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }
}

const PASSKEYS = "/api/v1/auth/second-factor/passkeys";

/** What adding a passkey answers (201): the passkey, and the first recovery codes if it is the first factor. */
export interface AddedPasskey {
  passkey: { id: string; name: string; createdAt: string; lastUsedAt: string | null };
  recoveryCodes: string[] | null;
}

/**
 * Adds a passkey held by a new software authenticator to `client`'s account, as a browser does:
 * registration options (200), then the credential made from them (201). Answers the
 * authenticator (to sign in with later), the answer, and the response itself (its headers).
 */
export async function addPasskey(client: Pick<Client, "inject">, name = "Laptop") {
  const options = await client.inject({ method: "POST", url: `${PASSKEYS}/options` });
  expect(options.statusCode, options.body).toBe(200);
  const key = new SoftAuthenticator();
  const res = await client.inject({
    method: "POST",
    url: PASSKEYS,
    payload: {
      name,
      credential: key.register(json<{ challenge: string; user: { id: string } }>(options)),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { key, res, added: json<AddedPasskey>(res) };
}

function expectStatus(res: { statusCode: number; body: string }, status: number, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
}

/**
 * For the every-event run (helpers/every-event.ts): `careful` (an account with a second factor)
 * adds two passkeys, signs in with one as the second step and with the other alone, and removes
 * the second. Answers the tokens and cookies it saw.
 */
export async function provokePasskeyEvents(t: TestApp, careful: Client): Promise<string[]> {
  const seen: string[] = [];
  const keys: SoftAuthenticator[] = [];
  const passkeyIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { key, added } = await addPasskey(careful, "Every key");
    keys.push(key);
    passkeyIds.push(added.passkey.id);
  }
  const pendingForKey = json<{ pendingToken: string }>(
    await signInAttempt(t, careful.email),
  ).pendingToken;
  seen.push(pendingForKey);
  const keyOptions = json<{ challenge: string }>(
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor/passkey-options",
      payload: { pendingToken: pendingForKey },
    }),
  );
  const byKey = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login/second-factor",
    payload: { pendingToken: pendingForKey, passkey: keys[0]!.assert(keyOptions) },
  });
  expectStatus(byKey, 200, "second step with a passkey");
  const aloneOptions = json<{ challenge: string }>(
    await t.app.inject({ method: "POST", url: "/api/v1/auth/login/passkey/options" }),
  );
  const alone = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login/passkey",
    payload: { credential: keys[1]!.assert(aloneOptions) },
  });
  expectStatus(alone, 200, "sign-in with a passkey alone");
  seen.push(...[byKey, alone].flatMap((r) => r.cookies.map((c) => c.value)));
  expectStatus(
    await careful.inject({
      method: "DELETE",
      url: `${PASSKEYS}/${passkeyIds[1]!}`,
      payload: { password: GOOD_PASSWORD },
    }),
    204,
    "passkey removed",
  );
  return seen;
}
