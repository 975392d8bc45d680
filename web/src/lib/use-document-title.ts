import { useEffect } from "react";

import { siteName, useBranding } from "../features/branding/context";

/** "Reveal secret · Hushlink", or the organization's name instead on its branded pages. */
export function useDocumentTitle(title: string): void {
  const site = siteName(useBranding());
  useEffect(() => {
    document.title = site ? (title ? `${title} · ${site}` : site) : title;
  }, [title, site]);
}
