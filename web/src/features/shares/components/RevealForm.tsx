import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import { EyeIcon, MailIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import type { EmailCodeSent, ShareMetadata } from "../api";
import { EmailCodeField } from "./EmailCodeField";
import { PasswordInput } from "./PasswordInput";
import { SentBy } from "./SentBy";
import { ShareFacts } from "./ShareFacts";

export type RevealPhase = "idle" | "checking" | "revealing";

const BUTTON_LABEL: Record<RevealPhase, MessageDescriptor> = {
  idle: msg`Reveal secret`,
  checking: msg`Checking password…`,
  revealing: msg`Revealing…`,
};

/** The e-mailed code of a link that requires one (issue 19), as the page tracks it. */
export interface EmailCodeState {
  sent: EmailCodeSent | null;
  sending: boolean;
  /** What went wrong with the code: asking for one, or the reveal's answer about it. */
  error: string | null;
  onSend: () => void;
}

export function RevealForm({
  meta,
  phase,
  error,
  onReveal,
  emailCode,
}: {
  meta: ShareMetadata;
  phase: RevealPhase;
  /** Message of the last failed attempt (wrong password and attempts left, network…). */
  error: string | null;
  onReveal: (password: string, emailCode: string | undefined) => void;
  emailCode?: EmailCodeState;
}) {
  const ids = useId();
  const { t, i18n } = useLingui();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState(false);
  const [codeMissing, setCodeMissing] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const busy = phase !== "idle";
  const needsCode = meta.requiresEmailCode === true && emailCode !== undefined;
  const codeError = codeMissing ?? emailCode?.error ?? null;

  // After a wrong password, put the cursor back in the field with the attempt selected.
  useEffect(() => {
    if (error && passwordRef.current) {
      passwordRef.current.focus();
      passwordRef.current.select();
    }
  }, [error]);

  // After a wrong or dead code, the cursor goes to the code field.
  useEffect(() => {
    if (emailCode?.error && codeRef.current) {
      codeRef.current.focus();
      codeRef.current.select();
    }
  }, [emailCode?.error]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    // The server checks the code before the password: so does the form.
    if (needsCode && !/^[0-9]{6}$/.test(code)) {
      setCodeMissing(
        emailCode.sent
          ? t`Enter the six digits from the e-mail.`
          : t`First press “E-mail me a code”, then enter the six digits it brings.`,
      );
      codeRef.current?.focus();
      return;
    }
    setCodeMissing(null);
    if (meta.requiresPassword && password.length === 0) {
      setMissing(true);
      passwordRef.current?.focus();
      return;
    }
    setMissing(false);
    onReveal(password, needsCode ? code : undefined);
  }

  const passwordError = missing ? t`Enter the password to reveal the secret.` : error;
  const label = i18n._(BUTTON_LABEL[phase]);
  const masked = meta.maskedEmail;

  return (
    <section className="stack" aria-labelledby="ready-heading">
      <div className="page-intro">
        <h1 id="ready-heading" className="page-title">
          <Trans>Someone shared a secret with you</Trans>
        </h1>
        <p className="lead">
          <Trans>
            It stays encrypted until you press Reveal. Opening this page does not use it up.
          </Trans>
        </p>
      </div>

      <SentBy sender={meta.sender} />

      {meta.maskedEmail && (
        <p className="sent-to-line" data-testid="meant-for">
          <MailIcon />
          <span>
            <Trans>
              Sent to{" "}
              <strong className="break-anywhere" dir="ltr">
                {masked}
              </strong>
              : this link was made for that address alone.
            </Trans>
          </span>
        </p>
      )}

      <ShareFacts
        expiresAt={meta.expiresAt}
        viewsRemaining={meta.viewsRemaining}
        requiresPassword={meta.requiresPassword}
      />

      <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
        {needsCode && (
          <EmailCodeField
            maskedEmail={meta.maskedEmail ?? null}
            value={code}
            onChange={(next) => {
              setCode(next);
              if (codeMissing) setCodeMissing(null);
            }}
            sent={emailCode.sent}
            sending={emailCode.sending}
            onSend={() => {
              setCodeMissing(null);
              setCode("");
              emailCode.onSend();
            }}
            error={codeError}
            disabled={busy}
            inputRef={codeRef}
          />
        )}
        {meta.requiresPassword && (
          <div className="field">
            <label className="field__label" htmlFor={`${ids}-password`}>
              <Trans>Password</Trans>
            </label>
            <PasswordInput
              ref={passwordRef}
              id={`${ids}-password`}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="off"
              autoFocus
              readOnly={busy}
              aria-invalid={passwordError !== null}
              aria-describedby={passwordError ? `${ids}-password-error` : undefined}
            />
            {passwordError && (
              <p id={`${ids}-password-error`} className="field__error" role="alert">
                {passwordError}
              </p>
            )}
          </div>
        )}

        {!meta.requiresPassword && error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}

        <div className="form-actions">
          {/* aria-disabled, not disabled, while busy: a disabled button dropped the focus to
              <body>, so after a failed reveal the next Tab started over at the top. submit()
              ignores a press meanwhile. */}
          <button
            type="submit"
            className="button button--primary button--large"
            aria-disabled={busy || undefined}
          >
            {busy ? <span className="spinner" aria-hidden="true" /> : <EyeIcon />}
            <span>{label}</span>
          </button>
          <p className="visually-hidden" role="status" aria-live="polite">
            {busy ? label : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
