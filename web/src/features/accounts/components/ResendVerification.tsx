import { useState } from "react";

import { Trans } from "@lingui/react/macro";

import { accountsApi } from "../api";
import { accountErrorMessage } from "../errors";
import { BusyButton } from "../../../components/BusyButton";

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
      <BusyButton
        className={`button button--small button--${variant}`}
        busy={state === "sending"}
        spinner
        onClick={() => void resend()}
      >
        <span>
          {state === "sent" ? <Trans>Send it again</Trans> : <Trans>Resend the link</Trans>}
        </span>
      </BusyButton>
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
