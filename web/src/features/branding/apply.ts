/**
 * Puts an organization's look on the whole page: the derived palette as custom properties on the
 * root element (CSSOM, which the CSP allows; no inline style in markup), and its logo as the
 * favicon, so neither the page nor the browser tab shows Hushlink's.
 */
import type { Branding } from "@hushlink/protocol";

import { themeFor } from "./colors";

const applied = new Set<string>();
let originalIcon: { href: string; type: string } | null = null;

export function applyBranding(branding: Branding | null): void {
  const root = document.documentElement;
  for (const name of applied) root.style.removeProperty(name);
  applied.clear();
  if (branding) {
    for (const [name, value] of Object.entries(themeFor(branding))) {
      root.style.setProperty(name, value);
      applied.add(name);
    }
    root.dataset.branded = "";
  } else {
    delete root.dataset.branded;
  }
  setFavicon(branding);
}

function setFavicon(branding: Branding | null): void {
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!icon) return;
  originalIcon ??= { href: icon.getAttribute("href") ?? "", type: icon.type };
  if (!branding) {
    icon.href = originalIcon.href;
    icon.type = originalIcon.type;
    return;
  }
  if (branding.logoUrl) {
    icon.href = branding.logoUrl;
    icon.removeAttribute("type");
    return;
  }
  // No logo: a plain rounded square in the organization's primary colour.
  // eslint-disable-next-line lingui/no-unlocalized-strings -- markup, no words
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${themeFor(branding)["--accent"]}"/></svg>`;
  icon.href = `data:image/svg+xml,${encodeURIComponent(svg)}`;
  icon.type = "image/svg+xml";
}
