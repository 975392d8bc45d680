import { useEffect, useState } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { accountsApi } from "../../features/accounts/api";
import { Outcome, OutcomeLink } from "../../features/accounts/components/Outcome";
import { ResendVerification } from "../../features/accounts/components/ResendVerification";
import { VerifyNewPassword } from "../../features/accounts/components/VerifyNewPassword";
import { accountErrorMessage } from "../../features/accounts/errors";
import { isApiError } from "../../lib/api";
import { forgetFragment } from "../../lib/fragment";
import { useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { Loading } from "../../components/Loading";

type State =
  | { kind: "verifying" }
  | { kind: "verified" }
  | { kind: "new-password" }
  | { kind: "invalid" }
  | { kind: "failed"; message: string };

// A token is spent by its first use: one request per token, however often effects run.
const attempts = new Map<string, Promise<State>>();

function verify(token: string): Promise<State> {
  let attempt = attempts.get(token);
  if (!attempt) {
    attempt = accountsApi.verifyEmail(token).then(
      (): State => ({ kind: "verified" }),
      (error: unknown): State =>
        isApiError(error, "new_password_required")
          ? { kind: "new-password" }
          : isApiError(error, "invalid_token") || isApiError(error, "invalid_request")
            ? { kind: "invalid" }
            : { kind: "failed", message: accountErrorMessage(error) },
    );
    attempts.set(token, attempt);
  }
  return attempt;
}

/**
 * `/verify-email#…` from the verification mail (`?token=…` in mails from before; main.tsx moves
 * that into the fragment). The token is taken out of the address bar into this tab's keeping (lib/fragment.ts), so a reload before confirming (the new-password
 * form half filled) still has it; confirming forgets it.
 */
export function VerifyEmailPage({ token }: { token: string }) {
  const { session, refresh } = useSession();
  const [state, setState] = useState<State>(token ? { kind: "verifying" } : { kind: "invalid" });
  const [retry, setRetry] = useState(0);
  const { t } = useLingui();
  useDocumentTitle(
    state.kind === "verified" ? t`E-mail address confirmed` : t`Confirm your e-mail address`,
  );

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    void verify(token).then((next) => {
      if (cancelled) return;
      setState(next);
      if (next.kind === "verified") {
        forgetFragment();
        void refresh();
      }
    });
    return () => {
      cancelled = true;
    };
  }, [token, refresh, retry]);

  const me = session.status === "signed-in" ? session.me : null;
  const email = me?.user.email ?? "";

  /** The token did its job: a reload now shows the address as confirmed, not a dead link. */
  function confirmed() {
    forgetFragment();
    void refresh();
  }

  if (state.kind === "new-password") {
    return (
      <VerifyNewPassword
        token={token}
        onVerified={() => {
          setState({ kind: "verified" });
          confirmed();
        }}
        onInvalid={() => setState({ kind: "invalid" })}
      />
    );
  }

  return (
    <div className="card card--narrow">
      {state.kind === "verifying" && (
        <Loading>
          <Trans>Confirming your e-mail address…</Trans>
        </Loading>
      )}
      {state.kind === "verified" && (
        <Outcome tone="success" title={t`Your e-mail address is confirmed`}>
          <p className="lead">
            {me ? (
              <Trans>
                Thank you. <span className="break-anywhere ltr">{email}</span> is confirmed.
              </Trans>
            ) : (
              <Trans>Thank you. Sign in to continue.</Trans>
            )}
          </p>
          <OutcomeLink href={me ? "/app" : "/login"} primary>
            {me ? <Trans>Open your dashboard</Trans> : <Trans>Sign in</Trans>}
          </OutcomeLink>
        </Outcome>
      )}
      {state.kind === "invalid" && me?.user.emailVerified && (
        <Outcome tone="success" title={t`Your e-mail address is already confirmed`}>
          <p className="lead">
            <Trans>
              <span className="break-anywhere ltr">{email}</span> was confirmed before; this link is
              no longer needed.
            </Trans>
          </p>
          <OutcomeLink href="/app">
            <Trans>Open your dashboard</Trans>
          </OutcomeLink>
        </Outcome>
      )}
      {state.kind === "invalid" && !me?.user.emailVerified && (
        <Outcome tone="warning" title={t`This confirmation link does not work`}>
          {me ? (
            <>
              <p className="lead">
                <Trans>
                  It was used already, or it expired. We can send a new one to{" "}
                  <span className="break-anywhere ltr">{email}</span>.
                </Trans>
              </p>
              <ResendVerification email={me.user.email} />
            </>
          ) : (
            <>
              <p className="lead">
                <Trans>It was used already, or it expired. Sign in to get a new one.</Trans>
              </p>
              <OutcomeLink href="/login?next=%2Fapp%2Faccount">
                <Trans>Sign in</Trans>
              </OutcomeLink>
            </>
          )}
        </Outcome>
      )}
      {state.kind === "failed" && (
        <Outcome tone="warning" title={t`Your e-mail address could not be confirmed`}>
          <p className="lead" role="alert">
            {state.message}
          </p>
          <p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                attempts.delete(token);
                setState({ kind: "verifying" });
                setRetry((n) => n + 1);
              }}
            >
              <Trans>Try again</Trans>
            </button>
          </p>
        </Outcome>
      )}
    </div>
  );
}
