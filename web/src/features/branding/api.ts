/** An organization's branding (SPEC F7, §4): colours and logo, read by members, set by admins. */
import type { BrandingBody, Locale, OrgBranding } from "@hushlink/protocol";

import { api, request, segment } from "../../lib/api";

/** What admins edit; null means "Hushlink's default". */
export type { OrgBranding };
export type ColorUpdate = BrandingBody;

const brandingPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}/branding`;

export const brandingApi = {
  get: (orgId: string) => api.get<OrgBranding>(brandingPath(orgId)),

  /** 400 low_contrast (with `contrast` in the error) when text on background is under 4.5:1. */
  setColors: (orgId: string, colors: ColorUpdate) =>
    api.put<OrgBranding>(brandingPath(orgId), colors),

  /** The file's bytes as the body, its type as Content-Type; the server decides by the bytes. */
  uploadLogo: (orgId: string, file: Blob) =>
    request<OrgBranding>("PUT", `${brandingPath(orgId)}/logo`, { rawBody: file }),

  /** The organization's default language (F17), or null for none; the colours stay as they are. */
  setDefaultLocale: (orgId: string, defaultLocale: Locale | null) =>
    api.put<OrgBranding>(brandingPath(orgId), { defaultLocale }),

  removeLogo: (orgId: string) => api.delete(`${brandingPath(orgId)}/logo`),
};
