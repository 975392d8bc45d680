/**
 * Passkey routes (SPEC F16, extension): the signed-in account's passkeys, the passkey as the
 * second step of a sign-in, and a sign-in with a passkey alone. Each ceremony is two calls: the
 * options (a single-use challenge, 5 minutes) and the browser's answer to them.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  Me,
  Passkey,
  PasskeyAddBody,
  PasskeyAdded,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyLoginBody,
  PasskeyRenameBody,
  PasskeyRequestOptions,
  PasskeySecondFactorOptionsBody,
  PasswordProofBody,
  RecentProofBody,
  RowId,
} from "@hushlink/protocol";

import { requireUser, toMe, USER_ERRORS, VERIFIED_ERRORS } from "./auth.context.js";
import { RECENT_PROOF_ERRORS } from "./recent-proof.js";
import { factorCaller, type SecondFactorRouteDeps } from "./second-factor.routes.js";

const PasskeyParams = z.object({ passkeyId: RowId });
const BASE = "/api/v1/auth/second-factor/passkeys";

export function registerPasskeyRoutes(app: FastifyInstance, deps: SecondFactorRouteDeps) {
  const { auth, loadMe, setSessionCookies, signin, tags } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const passkeys = auth.passkeys;

  r.get(
    BASE,
    {
      schema: {
        tags,
        summary: "Your passkeys",
        errors: [...USER_ERRORS],
        response: { 200: PasskeyList },
      },
    },
    async (request) => passkeys.list(requireUser(request).user.id),
  );

  r.post(
    `${BASE}/options`,
    {
      config: signin,
      schema: {
        tags,
        summary: "Start adding a passkey",
        description:
          "The options for navigator.credentials.create() (PublicKeyCredentialCreationOptionsJSON; " +
          "RP ID the hostname of PUBLIC_URL, a discoverable credential preferred, no attestation, " +
          "your passkeys excluded). Their challenge is single-use and lives 5 minutes. Needs a " +
          "session signed in within the last 15 minutes or the account's `password` in the " +
          "body: else 403 recent_sign_in_required; a wrong password is 403 " +
          "wrong_current_password, counted by the sign-in back-off.",
        body: RecentProofBody.nullish(),
        errors: [...VERIFIED_ERRORS, ...RECENT_PROOF_ERRORS],
        response: { 200: PasskeyCreationOptions },
      },
    },
    async (request) => auth.passkeyOptions(factorCaller(request, request.body)),
  );

  r.post(
    BASE,
    {
      config: signin,
      schema: {
        tags,
        summary: "Add a passkey with its name",
        description:
          "`credential` is the browser's answer to the options of POST …/passkeys/options. 201 " +
          "with the passkey, and `recoveryCodes` (ten, shown this once) when it is the account's " +
          "first second factor, else null; the account is mailed. 400 passkey_challenge_expired " +
          "(unknown, used, or older than 5 minutes: start again), 400 passkey_rejected (another " +
          "origin, a wrong challenge, an answer that does not verify), 409 passkey_exists. The " +
          "challenge carries the proof the options call asked for; a `password` sent here is " +
          "checked too.",
        body: PasskeyAddBody,
        errors: [
          ...VERIFIED_ERRORS,
          "wrong_current_password",
          "sign_in_paused",
          ["passkey_rejected", 400],
          ["passkey_challenge_expired", 400],
          "passkey_exists",
        ],
        response: { 201: PasskeyAdded },
      },
    },
    async (request, reply) => {
      const { name, credential } = request.body;
      const added = await auth.addPasskey(request, factorCaller(request, request.body), {
        name,
        credential,
      });
      return reply.status(201).header("location", `${BASE}/${added.passkey.id}`).send(added);
    },
  );

  r.get(
    `${BASE}/:passkeyId`,
    {
      schema: {
        tags,
        summary: "One of your passkeys",
        params: PasskeyParams,
        errors: [...USER_ERRORS, "passkey_not_found"],
        response: { 200: Passkey },
      },
    },
    async (request) => passkeys.get(requireUser(request).user.id, request.params.passkeyId),
  );

  r.patch(
    `${BASE}/:passkeyId`,
    {
      schema: {
        tags,
        summary: "Rename one of your passkeys",
        params: PasskeyParams,
        body: PasskeyRenameBody,
        errors: [...USER_ERRORS, "passkey_not_found"],
        response: { 200: Passkey },
      },
    },
    async (request) =>
      passkeys.rename(requireUser(request).user.id, request.params.passkeyId, request.body.name),
  );

  r.delete(
    `${BASE}/:passkeyId`,
    {
      config: signin,
      schema: {
        tags,
        summary: "Remove one of your passkeys (proves the password)",
        description:
          "204. The recovery codes go with the account's last second factor. 403 " +
          "wrong_current_password counts toward the sign-in back-off; 404 passkey_not_found " +
          "(also for another account's passkey).",
        params: PasskeyParams,
        body: PasswordProofBody,
        errors: [...USER_ERRORS, "wrong_current_password", "sign_in_paused", "passkey_not_found"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const me = requireUser(request);
      await auth.removePasskey(request, {
        userId: me.user.id,
        ip: request.ip,
        password: request.body.password,
        id: request.params.passkeyId,
      });
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/login/second-factor/passkey-options",
    {
      config: signin,
      schema: {
        tags,
        summary: "Options to complete a pending sign-in with a passkey",
        description:
          "`pendingToken` from the 202 of POST /api/v1/auth/login. The options for " +
          "navigator.credentials.get() (PublicKeyCredentialRequestOptionsJSON) allow the " +
          "account's passkeys; its answer goes as `passkey` to POST " +
          "/api/v1/auth/login/second-factor. 401 sign_in_expired.",
        body: PasskeySecondFactorOptionsBody,
        errors: ["sign_in_expired"],
        response: { 200: PasskeyRequestOptions },
      },
    },
    async (request) => auth.secondFactor.passkeyOptions(request.body.pendingToken),
  );

  r.post(
    "/api/v1/auth/login/passkey/options",
    {
      config: signin,
      schema: {
        tags,
        summary: "Options to sign in with a passkey alone",
        description:
          "No address, no password: the options for navigator.credentials.get() allow any " +
          "discoverable passkey of this site and require user verification. Single-use " +
          "challenge, 5 minutes.",
        errors: [],
        response: { 200: PasskeyRequestOptions },
      },
    },
    async () => passkeys.passwordlessOptions(),
  );

  r.post(
    "/api/v1/auth/login/passkey",
    {
      config: signin,
      schema: {
        tags,
        summary: "Sign in with a passkey alone",
        description:
          "`credential` is the browser's answer to the options of POST …/login/passkey/options. " +
          "200 `Me` and the session cookies: the passkey (user verified) is both factors. The " +
          "checks of a password sign-in apply once the account is known: 429 sign_in_paused, " +
          "403 email_not_verified, 403 sso_required. 401 passkey_rejected (unknown passkey, " +
          "another origin, user not verified, a bad signature or a counter that went back), " +
          "401 passkey_challenge_expired.",
        body: PasskeyLoginBody,
        errors: [
          ["passkey_rejected", 401],
          ["passkey_challenge_expired", 401],
          "sign_in_paused",
          "email_not_verified",
          "sso_required",
        ],
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { userId, session } = await auth.loginWithPasskey(request, {
        credential: request.body.credential,
        ip: request.ip,
      });
      setSessionCookies(reply, session);
      return toMe(await loadMe(userId));
    },
  );
}
