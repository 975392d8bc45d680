/**
 * Custom branding (SPEC F7): colours and a logo per organization, shown on that organization's
 * share and request pages instead of Hushlink's own look.
 */
import { createHash } from "node:crypto";

import { isSupportedLocale, type Branding, type SupportedLocale } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { BadRequestError, NotFoundError } from "../../errors.js";
import * as repo from "./branding.repository.js";
import { contrastRatio, MIN_TEXT_CONTRAST, MIN_UI_CONTRAST } from "./contrast.js";
import { inspectLogo } from "./logo-image.js";

/** Hushlink's own colours (web/src/styles/base.css), used for whatever an organization leaves unset. */
export const DEFAULT_COLORS = {
  primaryColor: "#3451b2",
  backgroundColor: "#f5f6f8",
  textColor: "#1a1d23",
} as const;

export const LOGO_PATH = "/api/v1/branding/logos";

type ColorKey = keyof typeof DEFAULT_COLORS;
export type BrandingUpdate = Partial<Record<ColorKey, string | null>> & {
  defaultLocale?: SupportedLocale | null | undefined;
};

/** A tag this version does not speak (written by a newer one) reads as none. */
const localeOf = (value: string | null) => (isSupportedLocale(value) ? value : null);

export function createBrandingService(deps: {
  database: Pick<DatabaseHandle, "db">;
  clock: Clock;
}) {
  const { database, clock } = deps;

  async function load(orgId: string) {
    const org = await repo.findBranding(database.db, orgId);
    if (!org) throw new NotFoundError("org_not_found", "No such organization.");
    return org;
  }

  function logoUrl(hash: string | null, contentType: string | null) {
    if (!hash || !contentType) return null;
    return `${LOGO_PATH}/${hash}.${contentType.split("/")[1]}`;
  }

  return {
    /** What admins edit: unset colours are null. */
    async get(orgId: string) {
      const org = await load(orgId);
      return {
        primaryColor: org.primary_color,
        backgroundColor: org.background_color,
        textColor: org.text_color,
        logoUrl: logoUrl(org.hash, org.content_type),
        defaultLocale: localeOf(org.default_locale),
      };
    },

    /**
     * What public pages get, or null when the organization has no branding at all. The default
     * language rides along for branded pages only: alone, it does not make a page branded.
     */
    async forPublic(orgId: string | null): Promise<(Branding & { orgName: string }) | null> {
      if (orgId === null) return null;
      const org = await load(orgId).catch(() => null);
      if (!org || (!org.primary_color && !org.background_color && !org.text_color && !org.hash))
        return null;
      return {
        orgName: org.name,
        primaryColor: org.primary_color ?? DEFAULT_COLORS.primaryColor,
        backgroundColor: org.background_color ?? DEFAULT_COLORS.backgroundColor,
        textColor: org.text_color ?? DEFAULT_COLORS.textColor,
        logoUrl: logoUrl(org.hash, org.content_type),
        defaultLocale: localeOf(org.default_locale),
      };
    },

    async update(orgId: string, update: BrandingUpdate) {
      const org = await load(orgId);
      const next = {
        primary_color: update.primaryColor === undefined ? org.primary_color : update.primaryColor,
        background_color:
          update.backgroundColor === undefined ? org.background_color : update.backgroundColor,
        text_color: update.textColor === undefined ? org.text_color : update.textColor,
      };
      const text = next.text_color ?? DEFAULT_COLORS.textColor;
      const background = next.background_color ?? DEFAULT_COLORS.backgroundColor;
      const ratio = contrastRatio(text, background);
      if (ratio < MIN_TEXT_CONTRAST) {
        throw new BadRequestError(
          "low_contrast",
          `Text on the background has a contrast of ${ratio.toFixed(2)}:1; at least ${MIN_TEXT_CONTRAST}:1 is needed to be readable.`,
          { contrast: Math.round(ratio * 100) / 100, pair: "text" },
        );
      }
      const primary = next.primary_color ?? DEFAULT_COLORS.primaryColor;
      const primaryRatio = contrastRatio(primary, background);
      if (primaryRatio < MIN_UI_CONTRAST) {
        throw new BadRequestError(
          "low_contrast",
          `The primary colour on the background has a contrast of ${primaryRatio.toFixed(2)}:1; at least ${MIN_UI_CONTRAST}:1 is needed for buttons and links to stand out.`,
          { contrast: Math.round(primaryRatio * 100) / 100, pair: "primary" },
        );
      }
      await repo.setBranding(database.db, orgId, {
        primary_color: next.primary_color?.toLowerCase() ?? null,
        background_color: next.background_color?.toLowerCase() ?? null,
        text_color: next.text_color?.toLowerCase() ?? null,
        default_locale:
          update.defaultLocale === undefined ? org.default_locale : update.defaultLocale,
      });
      return this.get(orgId);
    },

    async setLogo(orgId: string, bytes: Buffer) {
      const { contentType } = await inspectLogo(bytes);
      const hash = createHash("sha256").update(bytes).digest("base64url").slice(0, 32);
      await repo.upsertLogo(database.db, orgId, {
        hash,
        content_type: contentType,
        data: bytes.toString("base64"),
        created_at: clock.now(),
      });
      return this.get(orgId);
    },

    async removeLogo(orgId: string) {
      await repo.deleteLogo(database.db, orgId);
    },

    async logo(hash: string) {
      const row = await repo.findLogo(database.db, hash);
      if (!row) throw new NotFoundError("logo_not_found", "No such logo.");
      return { contentType: row.content_type, bytes: Buffer.from(row.data, "base64") };
    },
  };
}

export type BrandingService = ReturnType<typeof createBrandingService>;
