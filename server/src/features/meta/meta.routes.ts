import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import type { Config } from "../../config.js";

export const PublicConfig = z.object({
  maxSecretBytes: z.number().int(),
  maxExpiresIn: z.number().int(),
  maxViews: z.number().int(),
  passwordAttempts: z.number().int(),
  emailEnabled: z.boolean(),
});

/** Limits that clients show and check before encrypting. */
export function registerMetaRoutes(app: FastifyInstance, deps: { config: Config }) {
  const { limits, smtpUrl } = deps.config;
  const body = {
    maxSecretBytes: limits.maxSecretBytes,
    maxExpiresIn: limits.maxExpiresIn,
    maxViews: limits.maxViews,
    passwordAttempts: limits.passwordAttempts,
    emailEnabled: smtpUrl !== null,
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
