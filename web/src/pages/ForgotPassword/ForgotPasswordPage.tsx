import { useRef, useState, type FormEvent } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { BusyForm } from "../../components/BusyForm";
import { accountsApi } from "../../features/accounts/api";
import { AuthCard } from "../../features/accounts/components/AuthCard";
import { AuthSubmit } from "../../features/accounts/components/AuthSubmit";
import { EmailField } from "../../features/accounts/components/EmailField";
import { Outcome, OutcomeLink } from "../../features/accounts/components/Outcome";
import { accountErrorMessage } from "../../features/accounts/errors";
import { isApiError } from "../../lib/api";
import { isEmailAddress } from "../../lib/email";
import { rememberedEmail } from "../../lib/return-to";
import { useDocumentTitle } from "../../lib/use-document-title";

/**
 * `/forgot-password`: asks for a reset link. The answer is the same whether or not an account
 * exists, so the page cannot be used to find out who has one.
 */
export function ForgotPasswordPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Reset your password`);
  const [email, setEmail] = useState(() => rememberedEmail() ?? "");
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const address = email.trim();
    if (!isEmailAddress(address)) {
      setMissing(true);
      emailRef.current?.focus();
      return;
    }
    setMissing(false);
    setError(null);
    setBusy(true);
    try {
      await accountsApi.requestPasswordReset(address);
      setSentTo(address);
    } catch (caught) {
      // Only what the visitor can act on; anything else gets the same answer as success.
      if (isApiError(caught, "rate_limited") || isApiError(caught, "network_error")) {
        setError(accountErrorMessage(caught));
      } else {
        setSentTo(address);
      }
    } finally {
      setBusy(false);
    }
  }

  if (sentTo) {
    return (
      <div className="card card--narrow">
        <Outcome tone="mail" title={t`Check your e-mail`}>
          <p className="lead">
            <Trans>
              If an account exists for <strong className="break-anywhere ltr">{sentTo}</strong>, we
              sent it a link to choose a new password. The link works once, for a limited time.
            </Trans>
          </p>
          <OutcomeLink href="/login">
            <Trans>Back to sign in</Trans>
          </OutcomeLink>
        </Outcome>
      </div>
    );
  }

  return (
    <AuthCard
      title={t`Reset your password`}
      lead={t`Enter the e-mail address of your account. We send you a link to choose a new password.`}
      footer={
        <p>
          <Trans>
            Remembered it? <a href="/login">Sign in</a>
          </Trans>
        </p>
      }
    >
      <BusyForm busy={busy} onSubmit={submit}>
        <EmailField
          ref={emailRef}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={missing ? t`Enter a valid e-mail address.` : null}
          readOnly={busy}
        />
        <AuthSubmit busy={busy} error={error} label={t`Send reset link`} busyLabel={t`Sending…`} />
      </BusyForm>
    </AuthCard>
  );
}
