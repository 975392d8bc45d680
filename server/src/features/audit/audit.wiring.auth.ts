/**
 * The account events (sign-in and its failures, second factors and passkeys, sign-up, password
 * and account changes) as auth.service.ts's calls settle; the other features' are in
 * audit.wiring.ts.
 */
import type { AuditEventType } from "@hushlink/protocol";

import type { AuditEvent, AuditSink } from "../../lib/audit-sink.js";
import { codeOf } from "../../lib/error-code.js";
import type { AuthService } from "../auth/auth.service.js";
import { tap, user } from "./audit.tap.js";

export function auditAuth(auth: AuthService, sink: AuditSink) {
  const signedIn = (userId: string, ip: string): AuditEvent => ({
    type: "signin.succeeded",
    org: { ofUser: userId },
    actor: { kind: "user", id: userId },
    ip,
    target: user(userId),
  });
  const viaOf = (input: { code?: string | undefined; passkey?: unknown }) =>
    input.passkey !== undefined
      ? ("passkey" as const)
      : input.code !== undefined
        ? ("totp" as const)
        : ("recovery_code" as const);
  /** What a refused second step answers; anything else (expired, paused) is no guess. */
  const WRONG_SECOND_FACTOR = new Set([
    "invalid_code",
    "passkey_rejected",
    "passkey_challenge_expired",
  ]);
  const passkey = (id: string) => ({ kind: "passkey" as const, id });
  /** A change to the account's own second factor, logged in each of its organizations. */
  const ofAccount = (type: AuditEventType, userId: string): AuditEvent => ({
    type,
    org: { ofUser: userId },
    target: user(userId),
  });
  return {
    ...auth,
    // An account made through an invitation joins its organization at once.
    signup: tap(sink, auth.signup.bind(auth), {
      ok: (_args, outcome) =>
        outcome.kind === "joined"
          ? {
              type: "member.joined",
              org: outcome.orgId,
              actor: { kind: "user", id: outcome.userId },
              target: user(outcome.userId),
              via: "invited_signup",
            }
          : null,
    }),
    // With a second factor the password opens no session yet: the sign-in is the second step.
    // A wrong code is its own failure; whose sign-in it was is read first (the token may end).
    completeSignIn: tap(sink, auth.completeSignIn.bind(auth), {
      before: ([input]) => auth.secondFactor.pendingUser(input.pendingToken),
      ok: ([input], { userId }) => ({ ...signedIn(userId, input.ip), via: viaOf(input) }),
      failed: ([input], error, userId) =>
        !WRONG_SECOND_FACTOR.has(codeOf(error)) || !userId
          ? []
          : [
              {
                type: "signin.second_factor_failed",
                org: { ofUser: userId },
                actor: { kind: "anonymous", id: null },
                ip: input.ip,
                target: user(userId),
                outcome: "failure",
                via: viaOf(input),
              },
            ],
    }),
    // A sign-in with a passkey alone. One that fails names no account it could be logged for.
    loginWithPasskey: tap(sink, auth.loginWithPasskey.bind(auth), {
      ok: ([input], { userId }) => ({ ...signedIn(userId, input.ip), via: "passkey" }),
    }),
    addPasskey: tap(sink, auth.addPasskey.bind(auth), {
      ok: ([input], added) => ({
        type: "passkey.added",
        org: { ofUser: input.user.id },
        target: passkey(added.passkey.id),
      }),
    }),
    removePasskey: tap(sink, auth.removePasskey.bind(auth), {
      ok: ([input]) => ({
        type: "passkey.removed",
        org: { ofUser: input.userId },
        target: passkey(input.id),
      }),
    }),
    // The authenticator has no id of its own: its target is the account. A turn-off that found
    // none on (an unfinished set-up, or none at all) answers alike but changed no factor.
    confirmTotp: tap(sink, auth.confirmTotp.bind(auth), {
      ok: ([caller]) => ofAccount("totp.enabled", caller.user.id),
    }),
    removeTotp: tap(sink, auth.removeTotp.bind(auth), {
      ok: ([input], removed) => (removed ? ofAccount("totp.disabled", input.userId) : null),
    }),
    regenerateRecoveryCodes: tap(sink, auth.regenerateRecoveryCodes.bind(auth), {
      ok: ([input]) => ofAccount("recovery_codes.regenerated", input.userId),
    }),
    secondFactor: {
      ...auth.secondFactor,
      setOrgRequirement: tap(sink, auth.secondFactor.setOrgRequirement.bind(auth.secondFactor), {
        ok: ([orgId]) => ({
          type: "security.changed",
          org: orgId,
          target: { kind: "org", id: orgId },
        }),
      }),
    },
    resetMemberSecondFactor: tap(sink, auth.resetMemberSecondFactor.bind(auth), {
      ok: ([orgId, userId]) => ({
        type: "member.second_factor_reset",
        org: orgId,
        target: user(userId),
      }),
    }),
    login: tap(sink, auth.login.bind(auth), {
      ok: ([input], { userId, session }) => (session === null ? null : signedIn(userId, input.ip)),
      failedInBackground: true,
      failed: ([input], error) =>
        // An error without a code is a fault, not a refused sign-in.
        codeOf(error) === "unknown"
          ? []
          : [
              {
                type: "signin.failed",
                org: { ofEmail: input.email },
                actor: { kind: "anonymous", id: null },
                ip: input.ip,
                outcome: "failure",
              },
            ],
    }),
  };
}

export type AuditedAuth = ReturnType<typeof auditAuth>;
