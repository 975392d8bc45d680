/**
 * Which look the current page wears. Public pages of a branded organization (`/s`, `/r/{id}`)
 * learn it from their metadata; until then they are "pending" and show neither Hushlink's name
 * nor anyone else's, so a branded page never flashes Hushlink's wordmark first.
 */
import {
  createContext,
  useContext,
  useEffect,
  useLayoutEffect,
  useState,
  type ReactNode,
} from "react";
import type { Branding } from "@hushlink/protocol";

import { activateLocale, brandedLocale } from "../../i18n/i18n";
import { applyBranding } from "./apply";

export type { Branding };

/** An organization's branding, none (Hushlink's own look), or not known yet. */
export type PageBranding = Branding | null | "pending";

interface BrandingState {
  branding: PageBranding;
  setBranding: (branding: Branding | null) => void;
}

const BrandingContext = createContext<BrandingState>({
  branding: null,
  setBranding: () => undefined,
});

export function BrandingProvider({
  pending = false,
  children,
}: {
  /** True on pages whose look comes from their metadata (share and request pages). */
  pending?: boolean;
  children: ReactNode;
}) {
  const [branding, setBranding] = useState<PageBranding>(pending ? "pending" : null);

  // Before paint, so the logo and the colours appear together.
  useLayoutEffect(() => {
    if (branding !== "pending") applyBranding(branding);
  }, [branding]);

  // The organization's default language, for a visitor whose browser asks for none we speak;
  // not remembered, since the visitor did not choose it.
  const orgLocale = branding && branding !== "pending" ? branding.defaultLocale : null;
  useEffect(() => {
    const locale = brandedLocale(orgLocale);
    if (locale) void activateLocale(locale);
  }, [orgLocale]);

  return <BrandingContext value={{ branding, setBranding }}>{children}</BrandingContext>;
}

export const useBranding = (): PageBranding => useContext(BrandingContext).branding;

/** For pages that learn their organization's look from the server. */
export const useSetBranding = () => useContext(BrandingContext).setBranding;

/** The name the page goes by: the organization's, Hushlink's, or none while pending. */
export function siteName(branding: PageBranding): string | null {
  if (branding === "pending") return null;
  return branding ? branding.orgName : "Hushlink";
}

/** Branding from a failed API call: a "gone" share still wears its organization's look. */
export function brandingOf(details: Record<string, unknown>): Branding | null {
  const branding = details.branding;
  if (typeof branding !== "object" || branding === null) return null;
  const b = branding as Record<string, unknown>;
  return typeof b.orgName === "string" ? (branding as Branding) : null;
}
