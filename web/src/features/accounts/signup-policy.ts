/**
 * The operator's sign-up setting as the pages use it (SIGNUP, shown on GET /api/v1/config): with
 * `invite` an account can be created only through an invitation's link, so the pages offer
 * sign-up only on the way back to one; with `domains` they say which addresses may.
 */
import { t } from "@lingui/core/macro";
import type { PublicConfig } from "@hushlink/protocol";

import { activeLocale } from "../../i18n/i18n";
import { SOURCE_LOCALE } from "../../i18n/locales";

/** The invitation token when sign-up was reached from an invitation's page (`next`). */
export function invitationIn(next: string | null): string | undefined {
  const match = next === null ? null : /^\/invitations\/([^/?#]+)$/.exec(next);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Whether this server refuses a sign-up made from here (no invitation on the way). */
export function signupClosed(config: PublicConfig | null, next: string | null): boolean {
  return config?.signup?.mode === "invite" && invitationIn(next) === undefined;
}

/** "Addresses at example.com or example.org only." where sign-up is limited to domains. */
export function domainsHint(config: PublicConfig | null, next: string | null): string | null {
  const signup = config?.signup;
  if (signup?.mode !== "domains" || invitationIn(next) !== undefined) return null;
  const list = signup.domains;
  // English keeps its wording without the serial comma; other languages join "a, b or c" as
  // Intl does for them (separators and the word for "or" differ).
  const locale = activeLocale();
  const names =
    locale === SOURCE_LOCALE
      ? list.length <= 1
        ? (list[0] ?? "")
        : `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`
      : new Intl.ListFormat(locale, { type: "disjunction" }).format(list);
  return t`Addresses at ${names} only.`;
}
