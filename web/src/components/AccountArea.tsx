import { useEffect, useId, useRef, useState } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { BusyButton } from "./BusyButton";
import { ChevronDownIcon, UserIcon } from "./icons";
import { signInHref } from "../lib/return-to";
import { useSession, useSignOut } from "../lib/session";
import { Gap } from "./SideBySide";

/** Pages where a "Sign in" link in the header would point at the page itself. */
const AUTH_PAGES = /^\/(login|signup|forgot-password|reset-password)\/?$/;

/**
 * The header's right-hand side: "Sign in" when signed out; when signed in, a link to the
 * dashboard and an account menu (a disclosure: button + list of links) with Sign out.
 */
export function AccountArea({ branded = false }: { branded?: boolean }) {
  const { session } = useSession();
  const { t } = useLingui();
  const path = window.location.pathname;

  if (session.status === "loading") return <span className="account-area" aria-hidden="true" />;
  if (session.status !== "signed-in") {
    // A branded organization's page (or one whose look is still loading) carries no Hushlink
    // button for its visitors (issue 25, defect 10); pages that need a sign-in link say so.
    if (AUTH_PAGES.test(path) || branded) return <span className="account-area" />;
    // From the share form, come back to it; elsewhere the dashboard is the natural place.
    const href = path === "/" ? signInHref("/") : "/login";
    return (
      <nav className="account-area" aria-label={t`Account`}>
        <a className="button button--secondary button--small" href={href}>
          <Trans>Sign in</Trans>
        </a>
      </nav>
    );
  }

  const inDashboard = path === "/app" || path.startsWith("/app/");
  return (
    <nav className="account-area" aria-label={t`Account`}>
      <a
        className="button button--ghost button--small account-area__dashboard"
        href="/app"
        aria-current={inDashboard ? "page" : undefined}
      >
        <Trans>Dashboard</Trans>
      </a>
      <AccountMenu email={session.me.user.email} name={session.me.user.name} />
    </nav>
  );
}

/** Where the menu becomes a full-width sheet (the stylesheet's phone breakpoint). */
const PHONE = "(max-width: 40rem)";

function AccountMenu({ email, name }: { email: string; name: string | null }) {
  const { signingOut, signOut } = useSignOut();
  const [open, setOpen] = useState(false);
  const ids = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    // On phones the open menu is a sheet with a shade over the page: what lies under the shade
    // can be neither tapped nor reached with assistive technology until the menu closes.
    const page = window.matchMedia(PHONE).matches ? document.getElementById("main") : null;
    page?.setAttribute("inert", "");
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
      page?.removeAttribute("inert");
    };
  }, [open]);

  return (
    <div
      ref={root}
      className="account-menu"
      onBlur={(event) => {
        // Close when focus leaves the menu (Tab past its last item).
        if (open && !root.current?.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="account-menu__button"
        aria-expanded={open}
        aria-controls={`${ids}-menu`}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="account-menu__avatar" aria-hidden="true">
          <UserIcon />
        </span>
        <span className="visually-hidden">
          <Trans>Account menu of</Trans>
          <Gap />
        </span>
        <span className="account-menu__email">{email}</span>
        <ChevronDownIcon />
      </button>
      {/* On phones the menu is a sheet over the page: this shade covers what is under it, so a
          tap beside the menu closes it instead of landing on a half-hidden tab. */}
      <div
        className="account-menu__shade"
        hidden={!open}
        aria-hidden="true"
        onPointerDown={() => setOpen(false)}
      />
      <div id={`${ids}-menu`} className="account-menu__panel" hidden={!open}>
        <p className="account-menu__who">
          <span className="account-menu__label">
            <Trans>Signed in as</Trans>
          </span>
          {name && <strong className="account-menu__name">{name}</strong>}
          <span className="account-menu__address ltr">{email}</span>
        </p>
        <ul className="account-menu__list">
          <li>
            <a className="account-menu__item" href="/app">
              <Trans>Dashboard</Trans>
            </a>
          </li>
          <li>
            <a className="account-menu__item" href="/">
              <Trans>Share a secret</Trans>
            </a>
          </li>
          <li>
            <a className="account-menu__item" href="/app/account">
              <Trans>Account</Trans>
            </a>
          </li>
          <li className="account-menu__separated">
            {/* Busy, aria-disabled rather than disabled, which dropped the focus to <body>. */}
            <BusyButton
              className="account-menu__item"
              busy={signingOut}
              onClick={() => void signOut()}
            >
              {signingOut ? <Trans>Signing out…</Trans> : <Trans>Sign out</Trans>}
            </BusyButton>
          </li>
        </ul>
      </div>
    </div>
  );
}
