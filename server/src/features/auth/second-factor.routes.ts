/**
 * Second-factor routes (SPEC F16, extension): the second step of sign-in, and the signed-in
 * account's authenticator app and recovery codes. Handlers stay thin: one service call each.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  Me,
  OrgSecurity,
  PasswordProofBody,
  RecentProofBody,
  RecoveryCodes,
  SecondFactorLoginBody,
  SecondFactorStatus,
  TotpConfirmBody,
  TotpEnrolment,
} from "@hushlink/protocol";

import type { RateLimitOptions } from "@fastify/rate-limit";
import {
  ADMIN_ERRORS,
  type AuthContext,
  requireAdmin,
  requireUser,
  requireVerified,
  toMe,
  USER_ERRORS,
  VERIFIED_ERRORS,
} from "./auth.context.js";
import { getOrgResource } from "./org-read.js";
import { ForbiddenError } from "../../errors.js";
import { MemberParams, OrgParams } from "../../lib/org-params.js";
import type { AuditedAuth } from "../audit/audit.wiring.js";
import type { NewSession } from "./auth.service.js";
import type { FactorCaller } from "./enrolment.js";
import { RECENT_PROOF_ERRORS } from "./recent-proof.js";

/** What the second-factor routes and the passkey routes (passkeys.routes.ts) are given. */
export interface SecondFactorRouteDeps {
  auth: AuditedAuth;
  loadMe: (userId: string) => Promise<Pick<AuthContext, "user" | "orgs" | "secondFactor">>;
  setSessionCookies: (reply: FastifyReply, session: NewSession) => void;
  signin: { rateLimit: false | RateLimitOptions };
  tags: string[];
}

/** The verified caller adding a factor, with what proves it is them (enrolment.ts). */
export function factorCaller(
  request: FastifyRequest,
  body: { password?: string | undefined } | null | undefined,
): FactorCaller {
  const me = requireVerified(request);
  return { user: me.user, ip: request.ip, password: body?.password, signedInAt: me.signedInAt };
}

export function registerSecondFactorRoutes(app: FastifyInstance, deps: SecondFactorRouteDeps) {
  const { auth, loadMe, setSessionCookies, signin, tags } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const sf = auth.secondFactor;

  r.post(
    "/api/v1/auth/login/second-factor",
    {
      config: signin,
      schema: {
        tags,
        summary: "Complete a sign-in with the authenticator code, a passkey or a recovery code",
        description:
          "The second step after POST /api/v1/auth/login answered 202: `pendingToken` from that " +
          "answer and one of `code` (6 digits from the authenticator app, each usable once), " +
          "`passkey` (the browser's answer to POST …/second-factor/passkey-options) or " +
          "`recoveryCode` (each usable once; its use is mailed to the account). 200 and a " +
          "session. 401 invalid_code, passkey_rejected or passkey_challenge_expired counts " +
          "toward the sign-in back-off (429 sign_in_paused); 401 sign_in_expired after 5 " +
          "minutes or 5 failures (each try counted before its code is checked, so guesses " +
          "sent at once get 5 between them): sign in with the password again.",
        body: SecondFactorLoginBody,
        errors: [
          ["invalid_code", 401],
          ["passkey_rejected", 401],
          ["passkey_challenge_expired", 401],
          "sign_in_expired",
          "sign_in_paused",
        ],
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { userId, session } = await auth.completeSignIn(request, {
        pendingToken: request.body.pendingToken,
        code: request.body.code,
        recoveryCode: request.body.recoveryCode,
        passkey: request.body.passkey,
        ip: request.ip,
      });
      setSessionCookies(reply, session);
      return toMe(await loadMe(userId));
    },
  );

  getOrgResource(
    app,
    "/api/v1/orgs/:orgId/security",
    {
      tags: ["organizations"],
      summary: "Whether the organization requires a second factor",
      role: "member",
      response: OrgSecurity,
    },
    async (orgId) => sf.orgRequirement(orgId),
  );

  r.put(
    "/api/v1/orgs/:orgId/security",
    {
      schema: {
        tags: ["organizations"],
        summary: "Require a second factor of every member (admins)",
        description:
          "With requireSecondFactor, members without a second factor can reach only their " +
          "account (/api/v1/auth/…, where they set one up) until they have one: every other " +
          "API route answers 403 second_factor_required, and the dashboard shows only enrolment.",
        params: OrgParams,
        body: OrgSecurity,
        errors: [...ADMIN_ERRORS],
        response: { 200: OrgSecurity },
      },
    },
    async (request) =>
      sf.setOrgRequirement(
        request,
        requireAdmin(request, request.params.orgId).org.id,
        request.body.requireSecondFactor,
      ),
  );

  r.delete(
    "/api/v1/orgs/:orgId/members/:userId/second-factor",
    {
      schema: {
        tags: ["organizations"],
        summary: "Reset a member's second factor (admins)",
        description:
          "204: the member's authenticator app, passkeys and recovery codes are removed, the member is " +
          "mailed, and the audit log records member.second_factor_reset. 404 member_not_found; " +
          "403 member_in_other_organization when the member also belongs to an organization " +
          "the caller does not administer (the factors guard it too); 403 own_second_factor for " +
          "the caller's own account, whose factors change only where the password is asked again.",
        params: MemberParams,
        errors: [
          ...ADMIN_ERRORS,
          "member_in_other_organization",
          "member_not_found",
          "own_second_factor",
        ],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { auth: caller, org } = requireAdmin(request, request.params.orgId);
      // An admin is an admin of their own account's organizations: without this, the members
      // route would turn their own factors off without the password DELETE /auth/totp asks for.
      if (request.params.userId === caller.user.id)
        throw new ForbiddenError(
          "own_second_factor",
          "Your own second factor is changed in your account's security settings, with your password.",
        );
      await auth.resetMemberSecondFactor(request, org.id, request.params.userId, caller.user.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/auth/second-factor",
    {
      schema: {
        tags,
        summary: "What second factor protects your account",
        errors: [...USER_ERRORS],
        response: { 200: SecondFactorStatus },
      },
    },
    async (request) => sf.status(requireUser(request).user.id),
  );

  r.post(
    "/api/v1/auth/second-factor/totp",
    {
      schema: {
        tags,
        summary: "Start setting up an authenticator app (a recent sign-in or the password)",
        description:
          "A new secret (and the otpauth:// URL a QR code carries), not in force until " +
          "POST …/totp/confirm proves the app holds it. Starting again replaces an unconfirmed " +
          "secret. 409 totp_already_enabled while one is in force. Needs a session signed in " +
          "within the last 15 minutes or the account's `password` in the body: else 403 " +
          "recent_sign_in_required; a wrong password is 403 wrong_current_password, counted " +
          "by the sign-in back-off.",
        body: RecentProofBody.nullish(),
        errors: [...VERIFIED_ERRORS, ...RECENT_PROOF_ERRORS, "totp_already_enabled"],
        response: { 200: TotpEnrolment },
      },
    },
    async (request) => auth.startTotp(factorCaller(request, request.body)),
  );

  r.post(
    "/api/v1/auth/second-factor/totp/confirm",
    {
      config: signin,
      schema: {
        tags,
        summary: "Confirm the authenticator app with its first code",
        description:
          "200 with ten recovery codes, shown this once (the server keeps their hashes): from " +
          "now on sign-in asks for a code, and the account is mailed. 400 invalid_code, 409 " +
          "totp_not_started. A set-up started more than 15 minutes ago needs a recent sign-in " +
          "or the `password` (403 recent_sign_in_required).",
        body: TotpConfirmBody,
        errors: [
          ...VERIFIED_ERRORS,
          ...RECENT_PROOF_ERRORS,
          ["invalid_code", 400],
          "totp_already_enabled",
          "totp_not_started",
        ],
        response: { 200: RecoveryCodes },
      },
    },
    async (request) =>
      auth.confirmTotp(request, factorCaller(request, request.body), request.body.code),
  );

  r.delete(
    "/api/v1/auth/second-factor/totp",
    {
      config: signin,
      schema: {
        tags,
        summary: "Turn the authenticator app off (proves the password)",
        description:
          "204; the recovery codes go with it unless the account keeps a passkey. 403 " +
          "wrong_current_password counts toward the sign-in back-off.",
        body: PasswordProofBody,
        errors: [...USER_ERRORS, "wrong_current_password", "sign_in_paused"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const me = requireUser(request);
      await auth.removeTotp(request, {
        userId: me.user.id,
        ip: request.ip,
        password: request.body.password,
      });
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/second-factor/recovery-codes",
    {
      config: signin,
      schema: {
        tags,
        summary: "Make ten new recovery codes (proves the password)",
        description:
          "200 with the new codes, shown this once; the old ones stop working. 409 " +
          "totp_not_started without an authenticator app or a passkey.",
        body: PasswordProofBody,
        errors: [...USER_ERRORS, "wrong_current_password", "sign_in_paused", "totp_not_started"],
        response: { 200: RecoveryCodes },
      },
    },
    async (request) => {
      const me = requireUser(request);
      return auth.regenerateRecoveryCodes(request, {
        userId: me.user.id,
        ip: request.ip,
        password: request.body.password,
      });
    },
  );
}
