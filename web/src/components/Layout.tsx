import type { ReactNode } from "react";

import { Logo, ShieldIcon } from "./icons";

export function Layout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <a className="wordmark" href="/" aria-label="Hushlink, share a new secret">
          <Logo />
          <span className="wordmark__text">Hushlink</span>
        </a>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <ShieldIcon />
        <p>
          End-to-end encrypted in your browser. The server never sees your secret, its link or its
          password.
        </p>
      </footer>
    </div>
  );
}
