/**
 * A signed-in user's language lives on the account (`user.locale` of GET /api/v1/auth/me, set
 * with PATCH /api/v1/auth/me `{locale}`;
 * null until they pick one), so it follows them to other browsers and to the e-mails the server
 * sends them. The account's choice wins over the browser's languages.
 */
import { useEffect } from "react";

import { api } from "../lib/api";
import { useMe, type Me } from "../lib/session";
import { activateLocale, activeLocale, rememberLocale } from "./i18n";
import { isLocale, type Locale } from "./locales";

/** The account's language, when it picked one (older servers leave the field out). */
export function accountLocale(me: Me | null): Locale | null {
  const value = me?.user.locale;
  return isLocale(value) ? value : null;
}

export function saveAccountLocale(locale: Locale): void {
  api.patch("/api/v1/auth/me", { locale }).catch((error: unknown) => {
    // The page is in the new language already; the account keeps its old one until next time.
    console.warn("The language could not be saved to the account", error);
  });
}

/** Switches the pages to the account's language once the session is known. */
export function useAccountLocale(): void {
  const me = useMe();
  const locale = accountLocale(me);
  useEffect(() => {
    if (!locale || locale === activeLocale()) return;
    rememberLocale(locale);
    void activateLocale(locale);
  }, [locale]);
}
