import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { PublicConfig } from "@hushlink/protocol";

import type { Config } from "../../config.js";

/** Limits that clients show and check before encrypting. */
export function registerMetaRoutes(app: FastifyInstance, deps: { config: Config }) {
  const { limits, smtpUrl, files, signup, anonymousRequests, anonymousSharing } = deps.config;
  const body = {
    maxSecretBytes: limits.maxSecretBytes,
    maxExpiresIn: limits.maxExpiresIn,
    maxViews: limits.maxViews,
    passwordAttempts: limits.passwordAttempts,
    emailEnabled: smtpUrl !== null,
    maxFiles: files.maxFiles,
    maxFileBytes: files.maxBytes,
    anonymousMaxFileBytes: files.anonymousMaxBytes,
    downloadWindow: Math.round(files.downloadWindowMs / 1000),
    // So that pages offer "Request a secret" to visitors only where the server allows it (F13).
    anonymousRequests,
    // So that `/` asks visitors to sign in where the operator turned anonymous sharing off (F16).
    anonymousSharing,
    // So that pages hide or adapt sign-up (issue 20).
    signup: { mode: signup.mode, domains: [...signup.domains] },
    // So that the CLI prints links on the address people use, not the one it called (§3). Only
    // when the operator set it: the guess (localhost) would be wrong for a CLI on another machine.
    ...(deps.config.publicUrlSet ? { publicUrl: deps.config.publicUrl } : {}),
  };
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/config",
    {
      schema: {
        tags: ["meta"],
        summary: "Public limits of this server",
        response: { 200: PublicConfig },
      },
    },
    () => body,
  );
}
