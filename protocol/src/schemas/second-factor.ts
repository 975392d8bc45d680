/**
 * Second factor for accounts (SPEC F16, extension): an authenticator app (TOTP) and recovery
 * codes. Sign-in with a second factor takes two steps: the password answers 202 with a pending
 * sign-in (no session), and the code completes it.
 */
import { z } from "zod";

import { IsoDate, RecentProof } from "./common.js";
import { PasskeyAssertion } from "./passkeys.js";

/** A 6-digit code from an authenticator app; spaces people type between digits are allowed. */
export const TotpCode = z
  .string()
  .max(12)
  .regex(/^\s*\d{3}\s?\d{3}\s*$/, { message: "must be 6 digits" });

/** A recovery code as shown (`xxxxx-xxxxx`); case, spaces and dashes do not matter. */
export const RecoveryCode = z.string().min(1).max(64);

/** What can complete a pending sign-in; `recovery_code` whenever the account has another. */
export const SecondFactorMethod = z
  .enum(["totp", "passkey", "recovery_code"])
  .meta({ id: "SecondFactorMethod" });
export type SecondFactorMethod = z.infer<typeof SecondFactorMethod>;

/**
 * `POST /api/v1/auth/login` for an account with a second factor: the password was right, and
 * nobody is signed in yet. `pendingToken` goes back in the body of the second step (never in a
 * URL); it lives until `expiresAt` and dies after a few wrong codes.
 */
export const SecondFactorChallenge = z
  .object({
    status: z.literal("second_factor_required"),
    pendingToken: z.string(),
    expiresAt: IsoDate,
    methods: z.array(SecondFactorMethod),
  })
  .meta({ id: "SecondFactorChallenge" });
export type SecondFactorChallenge = z.infer<typeof SecondFactorChallenge>;

/**
 * `POST /api/v1/auth/login/second-factor`: exactly one of `code`, `recoveryCode` and `passkey`
 * (the answer of `navigator.credentials.get()` to the options of
 * `POST /api/v1/auth/login/second-factor/passkey-options`).
 */
export const SecondFactorLoginBody = z
  .object({
    pendingToken: z.string().min(1).max(200),
    code: TotpCode.optional(),
    recoveryCode: RecoveryCode.optional(),
    passkey: PasskeyAssertion.optional(),
  })
  .strict()
  .refine((b) => [b.code, b.recoveryCode, b.passkey].filter((v) => v !== undefined).length === 1, {
    message: "send one of code, recoveryCode and passkey",
    path: ["code"],
  })
  .meta({ id: "SecondFactorLoginBody" });
export type SecondFactorLoginBody = z.input<typeof SecondFactorLoginBody>;

/** `GET /api/v1/auth/second-factor`: what protects the account. */
export const SecondFactorStatus = z
  .object({
    totp: z.object({ enabled: z.boolean(), enabledAt: IsoDate.nullable() }),
    /** How many passkeys the account has (listed by GET /api/v1/auth/second-factor/passkeys). */
    passkeys: z.object({ count: z.number().int() }),
    recoveryCodes: z.object({ remaining: z.number().int() }),
  })
  .meta({ id: "SecondFactorStatus" });
export type SecondFactorStatus = z.infer<typeof SecondFactorStatus>;

/**
 * `POST /api/v1/auth/second-factor/totp`: a new secret to scan, not yet in force. `otpauthUrl` is
 * what the QR code carries; `secret` (base32) is for typing it in by hand.
 */
export const TotpEnrolment = z
  .object({ secret: z.string(), otpauthUrl: z.string() })
  .meta({ id: "TotpEnrolment" });
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

/** `POST /api/v1/auth/second-factor/totp` and `…/passkeys/options`: the body is optional. */
export const RecentProofBody = z.object(RecentProof).strict().meta({ id: "RecentProofBody" });
export type RecentProofBody = z.input<typeof RecentProofBody>;

export const TotpConfirmBody = z
  .object({ code: TotpCode, ...RecentProof })
  .strict()
  .meta({ id: "TotpConfirmBody" });
export type TotpConfirmBody = z.input<typeof TotpConfirmBody>;

/** Ten single-use codes, shown this once; the server keeps only their hashes. */
export const RecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()) })
  .meta({ id: "RecoveryCodes" });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

/** Turning a factor off or making new recovery codes proves the password again. */
export const PasswordProofBody = z
  .object({ password: z.string().min(1).max(1024) })
  .strict()
  .meta({ id: "PasswordProofBody" });
export type PasswordProofBody = z.input<typeof PasswordProofBody>;

/**
 * `GET` · `PUT /api/v1/orgs/{orgId}/security` (extension, F16): whether members must have a
 * second factor. Members without one can reach only enrolment until they set one up.
 */
export const OrgSecurity = z
  .object({ requireSecondFactor: z.boolean() })
  .strict()
  .meta({ id: "OrgSecurity" });
export type OrgSecurity = z.infer<typeof OrgSecurity>;
