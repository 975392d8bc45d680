import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useId, useState, type Ref } from "react";

import { BusyButton } from "../../../components/BusyButton";
import { MailIcon } from "../../../components/icons";
import { activeLocale } from "../../../i18n/i18n";
import type { EmailCodeSent } from "../api";

/** "14:05" or "2:05 PM", in the page's language. */
export const formatTime = (iso: string) =>
  new Intl.DateTimeFormat(activeLocale(), { hour: "numeric", minute: "2-digit" }).format(
    new Date(iso),
  );

/** True once `at` has passed, re-rendering when it does. */
function usePassed(at: string | null): boolean {
  const [now, setNow] = useState(() => Date.now());
  const due = at ? Date.parse(at) : 0;
  useEffect(() => {
    if (!at) return;
    const wait = due - Date.now();
    if (wait <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), wait + 50);
    return () => clearTimeout(timer);
  }, [at, due]);
  return at === null || now >= due;
}

/**
 * The e-mailed code of a recipient link bound to an external address (issue 19): "E-mail me a
 * code" sends six digits to the address the link was made for; the field takes them. Asking again
 * waits until the server's `resendAt`, said beside the button
 * (aria-disabled until then).
 */
export function EmailCodeField({
  maskedEmail,
  value,
  onChange,
  sent,
  sending,
  onSend,
  error,
  disabled,
  inputRef,
}: {
  maskedEmail: string | null;
  value: string;
  onChange: (value: string) => void;
  sent: EmailCodeSent | null;
  sending: boolean;
  onSend: () => void;
  error: string | null;
  disabled: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const ids = useId();
  const canResend = usePassed(sent?.resendAt ?? null);
  const { t } = useLingui();
  const to = maskedEmail ?? t`the address it was sent to`;
  const until = sent ? formatTime(sent.expiresAt) : "";
  const resendAt = sent ? formatTime(sent.resendAt) : "";
  const describedBy = [`${ids}-hint`, error ? `${ids}-error` : null].filter(Boolean).join(" ");

  return (
    <div className="field email-code">
      <label className="field__label" htmlFor={`${ids}-code`}>
        <Trans>Code from the e-mail</Trans>
      </label>
      <p className="field__hint" id={`${ids}-hint`}>
        {sent ? (
          <Trans>
            A six-digit code is on its way to <strong className="break-anywhere">{to}</strong>. It
            works until {until}, for one reveal.
          </Trans>
        ) : (
          <Trans>
            Opening this secret also takes a code that we e-mail to{" "}
            <strong className="break-anywhere">{to}</strong>.
          </Trans>
        )}
      </p>
      <div className="email-code__row">
        <input
          ref={inputRef}
          id={`${ids}-code`}
          className="input email-code__input"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          dir="ltr"
          value={value}
          onChange={(event) => onChange(event.target.value.replace(/\D/g, "").slice(0, 6))}
          readOnly={disabled}
          aria-invalid={error !== null}
          aria-describedby={describedBy}
        />
        {/* Busy (sending, the form revealing, or before resendAt): aria-disabled and a press
            ignored, never disabled, which dropped the focus to <body> the moment it was pressed. */}
        <BusyButton
          className="button button--secondary"
          busy={disabled || sending || !canResend}
          aria-describedby={!canResend ? `${ids}-wait` : undefined}
          onClick={onSend}
        >
          <MailIcon />
          <span>
            {sending ? (
              <Trans>Sending…</Trans>
            ) : sent ? (
              <Trans>E-mail me a new code</Trans>
            ) : (
              <Trans>E-mail me a code</Trans>
            )}
          </span>
        </BusyButton>
      </div>
      {sent && !canResend && (
        <p className="field__hint" id={`${ids}-wait`}>
          <Trans>You can ask for another code at {resendAt}.</Trans>
        </p>
      )}
      {error && (
        <p id={`${ids}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
