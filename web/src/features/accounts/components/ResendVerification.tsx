import { useState } from "react";

import { Trans } from "@lingui/react/macro";

import { accountsApi } from "../api";
import { accountErrorMessage } from "../errors";

type State = "idle" | "sending" | "sent" | { error: string };

/** "Send the link again" for a signed-in, unverified account, with its outcome announced. */
export function ResendVerification({
  email,
  variant = "secondary",
}: {
  email: string;
  variant?: "secondary" | "ghost";
}) {
  const [state, setState] = useState<State>("idle");

  async function resend() {
    setState("sending");
    try {
      await accountsApi.resendVerification();
      setState("sent");
    } catch (error) {
      setState({ error: accountErrorMessage(error) });
    }
  }

  return (
    <div className="resend">
      {/* aria-disabled, not disabled, while sending: a disabled button dropped the focus to
          <body>, and the next Tab started over at the top of the page. */}
      <button
        type="button"
        className={`button button--small button--${variant}`}
        aria-disabled={state === "sending" || undefined}
        onClick={state === "sending" ? undefined : () => void resend()}
      >
        {state === "sending" && <span className="spinner" aria-hidden="true" />}
        <span>
          {state === "sent" ? <Trans>Send it again</Trans> : <Trans>Resend the link</Trans>}
        </span>
      </button>
      <p className="resend__status" role="status" aria-live="polite">
        {state === "sent" && (
          <Trans>
            We sent a new link to <span className="ltr">{email}</span>.
          </Trans>
        )}
        {typeof state === "object" && <span className="field__error">{state.error}</span>}
      </p>
    </div>
  );
}
