import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import { EyeIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import type { ShareMetadata } from "../api";
import { PasswordInput } from "./PasswordInput";
import { SentBy } from "./SentBy";
import { ShareFacts } from "./ShareFacts";

export type RevealPhase = "idle" | "checking" | "revealing";

const BUTTON_LABEL: Record<RevealPhase, string> = {
  idle: "Reveal secret",
  checking: "Checking password…",
  revealing: "Revealing…",
};

export function RevealForm({
  meta,
  phase,
  error,
  onReveal,
}: {
  meta: ShareMetadata;
  phase: RevealPhase;
  /** Message of the last failed attempt (wrong password and attempts left, network…). */
  error: string | null;
  onReveal: (password: string) => void;
}) {
  const ids = useId();
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const busy = phase !== "idle";

  // After a wrong password, put the cursor back in the field with the attempt selected.
  useEffect(() => {
    if (error && passwordRef.current) {
      passwordRef.current.focus();
      passwordRef.current.select();
    }
  }, [error]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (meta.requiresPassword && password.length === 0) {
      setMissing(true);
      passwordRef.current?.focus();
      return;
    }
    setMissing(false);
    onReveal(password);
  }

  const passwordError = missing ? "Enter the password to reveal the secret." : error;

  return (
    <section className="stack" aria-labelledby="ready-heading">
      <div className="page-intro">
        <h1 id="ready-heading" className="page-title">
          Someone shared a secret with you
        </h1>
        <p className="lead">
          It stays encrypted until you press Reveal. Opening this page does not use it up.
        </p>
      </div>

      <SentBy sender={meta.sender} />

      <ShareFacts
        expiresAt={meta.expiresAt}
        viewsRemaining={meta.viewsRemaining}
        requiresPassword={meta.requiresPassword}
      />

      <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
        {meta.requiresPassword && (
          <div className="field">
            <label className="field__label" htmlFor={`${ids}-password`}>
              Password
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
          <button type="submit" className="button button--primary button--large" disabled={busy}>
            {busy ? <span className="spinner" aria-hidden="true" /> : <EyeIcon />}
            <span>{BUTTON_LABEL[phase]}</span>
          </button>
          <p className="visually-hidden" role="status" aria-live="polite">
            {busy ? BUTTON_LABEL[phase] : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
