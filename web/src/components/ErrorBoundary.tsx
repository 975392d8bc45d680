import { Trans } from "@lingui/react/macro";
import { Component, type ErrorInfo, type ReactNode } from "react";

import { AlertIcon } from "./icons";
import { StatusPage } from "./StatusPage";

interface State {
  failed: boolean;
}

/**
 * A render error (a bug, or a page's code that could not be downloaded) shows a page with a way
 * back instead of a blank tab. Nothing of the failed page is kept: a full load starts over, which
 * also drops any decrypted secret from memory.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // For whoever opens the console; the error never leaves the browser.
    console.error("Hushlink could not show this page:", error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="card">
        <StatusPage
          headingId="crash-heading"
          icon={<AlertIcon />}
          tone="warning"
          title={<Trans>This page could not be shown</Trans>}
          focus
        >
          <p className="lead">
            <Trans>
              Something went wrong while showing it. Reloading often helps; if the connection
              dropped, check it first.
            </Trans>
          </p>
          <p className="form-actions">
            <button
              type="button"
              className="button button--primary"
              onClick={() => window.location.reload()}
            >
              <Trans>Reload the page</Trans>
            </button>
            <a className="button button--secondary" href="/">
              <Trans>Go to the start page</Trans>
            </a>
          </p>
        </StatusPage>
      </div>
    );
  }
}
