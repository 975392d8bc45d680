/**
 * Passkeys (WebAuthn, SPEC F16, extension): added by a signed-in account, used as the second step
 * of a sign-in instead of an authenticator code, or alone to sign in without a password (a
 * discoverable credential). The server answers the options a browser gives to
 * `navigator.credentials.create()` / `.get()` (the JSON forms of WebAuthn Level 3, as
 * @simplewebauthn/browser takes them), and takes back the credential's JSON.
 */
import { z } from "zod";

import { displayName, IsoDate, RecentProof } from "./common.js";

/** What a person calls a passkey ("Work laptop"); shown in the account's list. */
export const PasskeyName = displayName(64).trim().min(1);

/** base64url without padding, bounded (a credential id is at most 1023 bytes). */
const B64u = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/);

const clientExtensionResults = z.looseObject({});

/**
 * `PublicKeyCredential.toJSON()`: creating a passkey and signing a challenge answer the same
 * envelope, bounded the same way; only the authenticator's `response` differs.
 */
function publicKeyCredential<Response extends z.ZodType>(response: Response) {
  return z.looseObject({
    id: B64u(1400),
    rawId: B64u(1400),
    type: z.literal("public-key"),
    response,
    authenticatorAttachment: z.string().max(32).optional(),
    clientExtensionResults,
  });
}

/** Of `navigator.credentials.create()`: a new passkey. */
export const PasskeyRegistrationCredential = publicKeyCredential(
  z.looseObject({
    clientDataJSON: B64u(4096),
    attestationObject: B64u(16384),
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
).meta({ id: "PasskeyRegistrationCredential" });
export type PasskeyRegistrationCredential = z.infer<typeof PasskeyRegistrationCredential>;

/** Of `navigator.credentials.get()`: a signed challenge. */
export const PasskeyAssertion = publicKeyCredential(
  z.looseObject({
    clientDataJSON: B64u(4096),
    authenticatorData: B64u(4096),
    signature: B64u(1024),
    userHandle: z.string().max(128).optional(),
  }),
).meta({ id: "PasskeyAssertion" });
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;

/**
 * `PublicKeyCredentialCreationOptionsJSON`: for `navigator.credentials.create()`. The challenge
 * is single-use and lives 5 minutes.
 */
export const PasskeyCreationOptions = z
  .looseObject({
    challenge: z.string(),
    rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
    user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  })
  .meta({ id: "PasskeyCreationOptions" });
export type PasskeyCreationOptions = z.infer<typeof PasskeyCreationOptions>;

/** `PublicKeyCredentialRequestOptionsJSON`: for `navigator.credentials.get()`. */
export const PasskeyRequestOptions = z
  .looseObject({ challenge: z.string(), rpId: z.string().optional() })
  .meta({ id: "PasskeyRequestOptions" });
export type PasskeyRequestOptions = z.infer<typeof PasskeyRequestOptions>;

/** One passkey of the signed-in account; `id` is the server's, not the credential's. */
export const Passkey = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: IsoDate,
    lastUsedAt: IsoDate.nullable(),
  })
  .meta({ id: "Passkey" });
export type Passkey = z.infer<typeof Passkey>;

export const PasskeyList = z.object({ passkeys: z.array(Passkey) }).meta({ id: "PasskeyList" });
export type PasskeyList = z.infer<typeof PasskeyList>;

/** `POST /api/v1/auth/second-factor/passkeys`: the new passkey's name and credential. */
export const PasskeyAddBody = z
  .object({ name: PasskeyName, credential: PasskeyRegistrationCredential, ...RecentProof })
  .strict()
  .meta({ id: "PasskeyAddBody" });
export type PasskeyAddBody = z.input<typeof PasskeyAddBody>;

/**
 * The passkey added; `recoveryCodes` when it is the account's first second factor (ten codes,
 * shown this once, as when an authenticator app is confirmed), else null.
 */
export const PasskeyAdded = z
  .object({ passkey: Passkey, recoveryCodes: z.array(z.string()).nullable() })
  .meta({ id: "PasskeyAdded" });
export type PasskeyAdded = z.infer<typeof PasskeyAdded>;

export const PasskeyRenameBody = z
  .object({ name: PasskeyName })
  .strict()
  .meta({ id: "PasskeyRenameBody" });
export type PasskeyRenameBody = z.input<typeof PasskeyRenameBody>;

/** `POST /api/v1/auth/login/second-factor/passkey-options`: the pending sign-in's token. */
export const PasskeySecondFactorOptionsBody = z
  .object({ pendingToken: z.string().min(1).max(200) })
  .strict()
  .meta({ id: "PasskeySecondFactorOptionsBody" });
export type PasskeySecondFactorOptionsBody = z.input<typeof PasskeySecondFactorOptionsBody>;

/** `POST /api/v1/auth/login/passkey`: a discoverable passkey's answer, no address, no password. */
export const PasskeyLoginBody = z
  .object({ credential: PasskeyAssertion })
  .strict()
  .meta({ id: "PasskeyLoginBody" });
export type PasskeyLoginBody = z.input<typeof PasskeyLoginBody>;
