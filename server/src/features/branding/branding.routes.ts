import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import { BrandingBody, OrgBranding } from "@hushlink/protocol";

import { OrgParams } from "../../lib/org-params.js";
import { ADMIN_ERRORS, requireAdmin } from "../auth/auth.context.js";
import { getOrgResource } from "../auth/org-read.js";
import type { AuditedBranding } from "../audit/audit.wiring.js";
import { LOGO_PATH } from "./branding.service.js";
import { MAX_LOGO_BYTES } from "./logo-image.js";

/** The logo's types, by the bytes it starts with; the upload's Content-Type is not trusted. */
const LOGO_TYPES = { "image/png": {}, "image/jpeg": {}, "image/webp": {} };
/** Bytes sent as they are: the serializer never sees them. */
const ImageBytes = z.unknown().meta({ type: "string", format: "binary" });

export function registerBrandingRoutes(app: FastifyInstance, deps: { branding: AuditedBranding }) {
  const { branding } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["branding"];

  getOrgResource(
    app,
    "/api/v1/orgs/:orgId/branding",
    { tags, summary: "The organization's branding", role: "member", response: OrgBranding },
    (orgId) => branding.get(orgId),
  );

  r.put(
    "/api/v1/orgs/:orgId/branding",
    {
      schema: {
        tags,
        summary:
          "Set colours and the default language (admins); text on background needs a contrast of 4.5:1",
        description:
          "Fields left out stay as they are. `defaultLocale` (extension, F17): the language the " +
          "organization's branded pages start in, and of its e-mails to people whose own " +
          "language is not known; null unsets it. Recorded in the audit log as branding.changed.",
        params: OrgParams,
        body: BrandingBody,
        errors: [...ADMIN_ERRORS, "low_contrast"],
        response: { 200: OrgBranding },
      },
    },
    (request) =>
      branding.update(request, requireAdmin(request, request.params.orgId).org.id, request.body),
  );

  // The logo is the raw image as the body; its type is decided from the bytes, so any
  // Content-Type is read as bytes here, in this scope only.
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: MAX_LOGO_BYTES },
      (_request, body, done) => done(null, body),
    );
    const s = scope.withTypeProvider<ZodTypeProvider>();
    s.put(
      "/api/v1/orgs/:orgId/branding/logo",
      {
        bodyLimit: MAX_LOGO_BYTES,
        config: { rawBody: LOGO_TYPES },
        schema: {
          tags,
          summary: "Upload the logo (admins): PNG, JPEG or WebP, at most 512 KiB and 2048×2048",
          params: OrgParams,
          errors: [...ADMIN_ERRORS, "logo_too_large", "unsupported_image", "invalid_image"],
          response: { 200: OrgBranding },
        },
      },
      (request) => {
        const { org } = requireAdmin(request, request.params.orgId);
        const body = request.body;
        return branding.setLogo(request, org.id, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
      },
    );
    done();
  });

  r.delete(
    "/api/v1/orgs/:orgId/branding/logo",
    {
      schema: {
        tags,
        summary: "Remove the logo (admins)",
        params: OrgParams,
        errors: [...ADMIN_ERRORS],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await branding.removeLogo(request, requireAdmin(request, request.params.orgId).org.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    `${LOGO_PATH}/:file`,
    {
      schema: {
        tags,
        summary: "A logo by content hash (public, cached for a year)",
        params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{32}\.(png|jpeg|webp)$/) }),
        errors: ["logo_not_found"],
        response: {
          200: {
            description: "The image, of the type its name ends with",
            content: Object.fromEntries(
              Object.keys(LOGO_TYPES).map((type) => [type, { schema: ImageBytes }]),
            ),
          },
        },
      },
    },
    async (request, reply) => {
      const logo = await branding.logo(request.params.file.split(".")[0]!);
      return reply
        .header("content-type", logo.contentType)
        .header("content-disposition", "inline")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("cross-origin-resource-policy", "same-origin")
        .send(logo.bytes);
    },
  );
}
