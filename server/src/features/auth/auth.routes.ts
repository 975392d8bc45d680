import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  DeleteAccountBody,
  ChangePasswordBody,
  LoginBody,
  Me,
  PasswordResetBody,
  PasswordResetConfirmBody,
  SecondFactorChallenge,
  SignupAccepted,
  SignupBody,
  UpdateMeBody,
  VerifyEmailBody,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import {
  type AuthContext,
  clearStaleSession,
  CSRF_COOKIE,
  requireUser,
  SESSION_COOKIE,
  toMe,
  USER_ERRORS,
} from "./auth.context.js";
import type { AuditedAuth } from "../audit/audit.wiring.js";
import type { NewSession } from "./auth.service.js";
import { registerPasskeyRoutes } from "./passkeys.routes.js";
import { registerSecondFactorRoutes } from "./second-factor.routes.js";

/**
 * Held by the browser that signed up until the address is confirmed (httpOnly, sent only to the
 * verification route): the link opened there signs that browser in.
 */
export const SIGNUP_COOKIE = "hl_signup";
const SIGNUP_COOKIE_PATH = "/api/v1/auth/verify-email";
const SIGNUP_COOKIE_MS = 48 * 3600 * 1000;

/** Sets the session and CSRF cookies of a new session (password and SSO sign-in alike). */
export function sessionCookies(reply: FastifyReply, session: NewSession, secure: boolean) {
  const common = {
    path: "/",
    sameSite: "lax" as const,
    secure,
    expires: new Date(session.expiresAt),
  };
  void reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  // Readable by the page, which echoes it in X-CSRF-Token on every state change.
  void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export { toMe } from "./auth.context.js";

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    config: Config;
    auth: AuditedAuth;
    loadMe: (userId: string) => Promise<Pick<AuthContext, "user" | "orgs" | "secondFactor">>;
  },
) {
  const { config, auth, loadMe } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["auth"];
  const signin = rateLimitFor(config, "signin");
  const paused =
    "429 sign_in_paused, with retryAt (ISO 8601), after repeated wrong passwords for this " +
    "address from this IP (or from many IPs): answered before the password is checked. Each " +
    "try is counted before its password is compared, so guesses sent at once, to any number " +
    "of instances, get no more compared than one by one.";

  const setSessionCookies = (reply: FastifyReply, session: NewSession) =>
    sessionCookies(reply, session, config.secureCookies);

  function clearSessionCookies(reply: FastifyReply) {
    void reply.clearCookie(SESSION_COOKIE, { path: "/" });
    void reply.clearCookie(CSRF_COOKIE, { path: "/" });
  }

  r.post(
    "/api/v1/auth/signup",
    {
      config: signin,
      schema: {
        tags,
        summary: "Create an account and its organization",
        description:
          "202 {status: check_inbox} (extension, issue 15), the same for a new address and one " +
          "that has an account: a new one gets its organization and a verification mail, an " +
          "existing one a notice that someone tried to sign up (within MAIL_LIMIT_RECIPIENT). " +
          "Nobody is signed in; the answer sets the hl_signup cookie, and the verification link " +
          "opened in that browser signs it in. With `invitation`, the token of a pending " +
          "invitation to this address: 201 and a session; the account joins that organization " +
          "only, as the invited role, and counts as confirmed. 404 invitation_not_found, 403 " +
          "invitation_email_mismatch, 409 email_taken (an invited address that has an account " +
          "signs in to accept). Without an invitation, 403 signup_invite_only (SIGNUP=invite) " +
          "or signup_domain_not_allowed (SIGNUP=domains, another domain). 400 invalid_request at " +
          "`body.email` for an address spelled other than plainly (extension): a dot at its end " +
          "or two in a row in its domain, full-width or other compatibility characters, which a " +
          "mail system delivers as the plain spelling (sign-in still takes them). `locale` " +
          "(extension): the sign-up's language, in which the new organization is named when it " +
          'is named after the person ("Organisation de Marie"), and its default language, ' +
          "which the verification mail goes out in; English without it.",
        body: SignupBody,
        errors: [
          "weak_password",
          "confusable_domain",
          "email_taken",
          "invitation_not_found",
          "invitation_email_mismatch",
          "signup_invite_only",
          "signup_domain_not_allowed",
        ],
        response: { 201: Me, 202: SignupAccepted },
      },
    },
    async (request, reply) => {
      const outcome = await auth.signup(request, request.body);
      if (outcome.kind === "joined") {
        setSessionCookies(reply, outcome.session);
        return reply
          .status(201)
          .header("location", "/api/v1/auth/me")
          .send(toMe(await loadMe(outcome.userId)));
      }
      void reply.setCookie(SIGNUP_COOKIE, outcome.browserToken, {
        path: SIGNUP_COOKIE_PATH,
        sameSite: "strict",
        secure: config.secureCookies,
        httpOnly: true,
        expires: new Date(Date.now() + SIGNUP_COOKIE_MS),
      });
      return reply.status(202).send({ status: "check_inbox" as const });
    },
  );

  r.post(
    "/api/v1/auth/login",
    {
      config: signin,
      schema: {
        tags,
        summary: "Sign in",
        description:
          paused +
          " An account with a second factor (extension, F16) answers 202 " +
          "{status: second_factor_required, pendingToken, expiresAt, methods} and no session: " +
          "POST /api/v1/auth/login/second-factor completes it.",
        body: LoginBody,
        errors: ["invalid_credentials", "sign_in_paused", "sso_required"],
        response: { 200: Me, 202: SecondFactorChallenge },
      },
    },
    async (request, reply) => {
      const outcome = await auth.login(request, { ...request.body, ip: request.ip });
      if (outcome.pending) {
        return reply
          .status(202)
          .send({ status: "second_factor_required" as const, ...outcome.pending });
      }
      setSessionCookies(reply, outcome.session);
      return toMe(await loadMe(outcome.userId));
    },
  );

  r.post(
    "/api/v1/auth/logout",
    {
      schema: { tags, summary: "Sign out this session", errors: [], response: { 204: z.null() } },
    },
    async (request: FastifyRequest, reply) => {
      if (request.auth?.sessionHash) await auth.logout(request.auth.sessionHash);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/auth/me",
    {
      schema: {
        tags,
        summary: "The signed-in user and their organizations",
        description:
          "401 login_required without a live session; when an hl_session cookie named one that " +
          "has ended, this answer clears hl_session and hl_csrf (only this one and a create's " +
          "refusal do, so a late answer cannot sign out a newer session).",
        errors: [...USER_ERRORS],
        response: { 200: Me },
      },
    },
    (request, reply) => {
      // The web app asks this at start: a stale cookie is cleared here, so it knows it is out.
      clearStaleSession(request, reply);
      return toMe(requireUser(request));
    },
  );

  r.patch(
    "/api/v1/auth/me",
    {
      schema: {
        tags,
        summary: "Change your account's settings: its language (extension, F17)",
        description:
          "`locale` is one of the languages Hushlink speaks (400 invalid_request naming " +
          "`locale` otherwise), or null to forget the choice. Pages signed in as the account " +
          "and the e-mails it gets (or causes, to people without an account) use it. Fields " +
          "left out stay as they are. Answers the account as GET does.",
        body: UpdateMeBody,
        errors: [...USER_ERRORS],
        response: { 200: Me },
      },
    },
    async (request) => {
      const me = requireUser(request);
      if (request.body.locale !== undefined) await auth.setLocale(me.user.id, request.body.locale);
      return toMe(await loadMe(me.user.id));
    },
  );

  r.post(
    "/api/v1/auth/verify-email",
    {
      config: signin,
      schema: {
        tags,
        summary: "Confirm an e-mail address with the token from the mail",
        description:
          "204, and signed in (session cookies) unless the caller already is. The first " +
          "confirmation ends every session of the account but the caller's own and revokes " +
          "its API tokens. It keeps the password only from the browser that signed up (its " +
          "hl_signup cookie) or one signed in as the account; anywhere else it needs " +
          "`password`, a new one (extension, issue 15): 403 new_password_required without it " +
          "(the token stays unspent), 400 weak_password for one sign-up would refuse; with it " +
          "every session and API token of the account ends and its sign-in pauses end, as " +
          "after a reset.",
        body: VerifyEmailBody,
        errors: [["invalid_token", 400], "new_password_required", "weak_password"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const session = await auth.verifyEmail(
        request.body.token,
        {
          session: request.auth
            ? { userId: request.auth.user.id, sessionHash: request.auth.sessionHash }
            : null,
          browserToken: request.cookies[SIGNUP_COOKIE] ?? null,
          ip: request.ip,
        },
        request.body.password,
      );
      if (session) setSessionCookies(reply, session);
      void reply.clearCookie(SIGNUP_COOKIE, { path: SIGNUP_COOKIE_PATH });
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/verify-email/resend",
    {
      config: signin,
      schema: {
        tags,
        summary: "Send the verification mail again",
        description:
          "204; 429 mail_limit with retryAt past MAIL_LIMIT_RECIPIENT mails to the address " +
          "this hour (extension): whoever signed up with an address can sign in and ask again.",
        errors: [...USER_ERRORS, "mail_limit"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const me = requireUser(request);
      if (!me.user.emailVerified) await auth.resendVerification(me.user.id, me.user.email);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/password",
    {
      config: signin,
      schema: {
        tags,
        summary: "Change your password (signed in; proves the current one)",
        description:
          "204 on success: every other session of the account is signed out (this one stays), " +
          "every API token is revoked unless keepApiTokens is true, " +
          "and the account's address is mailed. 403 wrong_current_password (counts toward the " +
          "sign-in back-off), 429 sign_in_paused with retryAt while it lasts, 400 weak_password, " +
          "same_password or invalid_request for a new password the sign-up would refuse.",
        body: ChangePasswordBody,
        errors: [
          ...USER_ERRORS,
          "wrong_current_password",
          "sign_in_paused",
          "weak_password",
          "same_password",
        ],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const me = requireUser(request);
      await auth.changePassword({
        userId: me.user.id,
        keepSession: me.sessionHash,
        ip: request.ip,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        keepApiTokens: request.body.keepApiTokens ?? false,
      });
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/password-reset",
    {
      config: signin,
      schema: {
        tags,
        summary: "Mail a reset link (answers 204 whether or not the address has an account)",
        body: PasswordResetBody,
        errors: [],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(request.body.email);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/password-reset/confirm",
    {
      config: signin,
      schema: {
        tags,
        summary: "Set a new password with the token from the mail",
        body: PasswordResetConfirmBody,
        errors: [["invalid_token", 400], "weak_password"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.confirmPasswordReset(request.body.token, request.body.password, request.ip);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  r.delete(
    "/api/v1/auth/me",
    {
      config: signin,
      schema: {
        tags,
        summary: "Delete your account (proves the password again)",
        description:
          "204 and the session cookies cleared. In one transaction: the shares you created are " +
          "destroyed, your requests deleted, you leave your organizations (one you are the only " +
          "member of is deleted whole, with its shares, requests and branding), and every session " +
          "and API token of the account ends. 409 sole_admin (with orgs) while you are the only " +
          "admin of an organization that has other members: nothing changes then. " +
          "403 wrong_current_password counts toward the sign-in back-off.",
        body: DeleteAccountBody,
        errors: [...USER_ERRORS, "wrong_current_password", "sign_in_paused", "sole_admin"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const me = requireUser(request);
      await auth.deleteAccount({
        userId: me.user.id,
        ip: request.ip,
        password: request.body.password,
      });
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  registerSecondFactorRoutes(app, { auth, loadMe, setSessionCookies, signin, tags });
  registerPasskeyRoutes(app, { auth, loadMe, setSessionCookies, signin, tags });
}
