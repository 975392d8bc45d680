import { useEffect, useId, useState, type Ref } from "react";

import { MailIcon } from "../../../components/icons";
import type { EmailCodeSent } from "../api";

const time = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
export const formatTime = (iso: string) => time.format(new Date(iso));

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
 * waits until the server's `resendAt`, said beside the disabled button.
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
  const to = maskedEmail ?? "the address it was sent to";
  const describedBy = [`${ids}-hint`, error ? `${ids}-error` : null].filter(Boolean).join(" ");

  return (
    <div className="field email-code">
      <label className="field__label" htmlFor={`${ids}-code`}>
        Code from the e-mail
      </label>
      <p className="field__hint" id={`${ids}-hint`}>
        {sent ? (
          <>
            A six-digit code is on its way to <strong className="break-anywhere">{to}</strong>. It
            works until {formatTime(sent.expiresAt)}, for one reveal.
          </>
        ) : (
          <>
            Opening this secret also takes a code that we e-mail to{" "}
            <strong className="break-anywhere">{to}</strong>.
          </>
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
          value={value}
          onChange={(event) => onChange(event.target.value.replace(/\D/g, "").slice(0, 6))}
          readOnly={disabled}
          aria-invalid={error !== null}
          aria-describedby={describedBy}
        />
        <button
          type="button"
          className="button button--secondary"
          disabled={disabled || sending || !canResend}
          aria-describedby={!canResend ? `${ids}-wait` : undefined}
          onClick={onSend}
        >
          <MailIcon />
          <span>{sending ? "Sending…" : sent ? "E-mail me a new code" : "E-mail me a code"}</span>
        </button>
      </div>
      {sent && !canResend && (
        <p className="field__hint" id={`${ids}-wait`}>
          You can ask for another code at {formatTime(sent.resendAt)}.
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
