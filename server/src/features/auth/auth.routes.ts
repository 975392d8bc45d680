import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  ChangePasswordBody,
  ErrorBody,
  LoginBody,
  Me,
  PasswordResetBody,
  PasswordResetConfirmBody,
  SignupBody,
  TokenBody,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import { CSRF_COOKIE, requireUser, SESSION_COOKIE, type AuthContext } from "./auth.context.js";
import type { AuthService, NewSession } from "./auth.service.js";

export function toMe(auth: Pick<AuthContext, "user" | "orgs">) {
  return { user: auth.user, orgs: auth.orgs };
}

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    config: Config;
    auth: AuthService;
    loadMe: (userId: string) => Promise<Pick<AuthContext, "user" | "orgs">>;
  },
) {
  const { config, auth, loadMe } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["auth"];
  const signin = rateLimitFor(config, "signin");
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };
  const paused =
    "429 sign_in_paused, with retryAt (ISO 8601), after repeated wrong passwords for this " +
    "address from this IP (or from many IPs): answered before the password is checked.";

  function setSessionCookies(reply: FastifyReply, session: NewSession) {
    const common = {
      path: "/",
      sameSite: "lax" as const,
      secure: config.secureCookies,
      expires: new Date(session.expiresAt),
    };
    void reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
    // Readable by the page, which echoes it in X-CSRF-Token on every state change.
    void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
  }

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
          "With `invitation` (extension), the token of a pending invitation to this address: " +
          "the account joins that organization only, as the invited role, and counts as " +
          "confirmed. 404 invitation_not_found, 403 invitation_email_mismatch.",
        body: SignupBody,
        response: { 201: Me, 404: ErrorBody, 409: ErrorBody, ...errors },
      },
    },
    async (request, reply) => {
      const { userId, session } = await auth.signup(request.body);
      setSessionCookies(reply, session);
      return reply
        .status(201)
        .header("location", "/api/v1/auth/me")
        .send(toMe(await loadMe(userId)));
    },
  );

  r.post(
    "/api/v1/auth/login",
    {
      config: signin,
      schema: {
        tags,
        summary: "Sign in",
        description: paused,
        body: LoginBody,
        response: { 200: Me, ...errors },
      },
    },
    async (request, reply) => {
      const { userId, session } = await auth.login({ ...request.body, ip: request.ip });
      setSessionCookies(reply, session);
      return toMe(await loadMe(userId));
    },
  );

  r.post(
    "/api/v1/auth/logout",
    { schema: { tags, summary: "Sign out this session", response: { 204: z.null(), ...errors } } },
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
        response: { 200: Me, ...errors },
      },
    },
    (request) => toMe(requireUser(request)),
  );

  r.post(
    "/api/v1/auth/verify-email",
    {
      config: signin,
      schema: {
        tags,
        summary: "Confirm an e-mail address with the token from the mail",
        body: TokenBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const caller = request.auth
        ? { userId: request.auth.user.id, sessionHash: request.auth.sessionHash }
        : null;
      await auth.verifyEmail(request.body.token, caller);
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
        response: { 204: z.null(), ...errors },
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
        response: { 204: z.null(), ...errors },
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
        response: { 204: z.null(), ...errors },
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
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await auth.confirmPasswordReset(request.body.token, request.body.password, request.ip);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );
}
