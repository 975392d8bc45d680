import { Trans, useLingui } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { AccountArea } from "./AccountArea";
import { useBranding } from "../features/branding/context";
import { useAccountLocale } from "../i18n/account-locale";
import { Logo, ShieldIcon } from "./icons";
import { LocalePicker } from "./LocalePicker";

export function Layout({
  children,
  footerNote,
  wide = false,
}: {
  children: ReactNode;
  /** Replaces the footer's end-to-end note on pages where it would not be true (requests). */
  footerNote?: ReactNode;
  /** Room for tables (the dashboard). */
  wide?: boolean;
}) {
  const branding = useBranding();
  const { t } = useLingui();
  useAccountLocale();
  return (
    <div className={wide ? "shell shell--wide" : "shell"}>
      <a className="skip-link" href="#main">
        <Trans>Skip to content</Trans>
      </a>
      <header className="site-header">
        {branding === "pending" ? (
          // A neutral placeholder of a logo's size, so nothing jumps when the look is known and
          // the page does not look broken meanwhile (issue 25, defect 10).
          <span className="wordmark wordmark--pending" aria-hidden="true">
            <span className="wordmark__placeholder" />
          </span>
        ) : branding ? (
          // A branded organization's pages show its logo (or name), no Hushlink name or link.
          <span className="brand-mark">
            {branding.logoUrl ? (
              <img className="brand-mark__logo" src={branding.logoUrl} alt={branding.orgName} />
            ) : (
              <span className="brand-mark__name">{branding.orgName}</span>
            )}
          </span>
        ) : (
          <a className="wordmark" href="/" aria-label={t`Hushlink, share a new secret`}>
            <Logo />
            <span className="wordmark__text">Hushlink</span>
          </a>
        )}
        <AccountArea branded={branding !== null} />
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="site-footer__note">
          <ShieldIcon />
          <p>
            {footerNote ?? (
              <Trans>
                End-to-end encrypted in your browser. The server never sees your secret, its link or
                its password.
              </Trans>
            )}
          </p>
        </div>
        <LocalePicker />
      </footer>
    </div>
  );
}
