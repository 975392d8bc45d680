import { useId, useRef, useState, type FormEvent } from "react";

import { LockIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { formatBytes, plural, utf8Length } from "../../../lib/format";

/**
 * The one field of a request page: the secret, checked against the server's size limit before it
 * is sent. The page does the sending and says what happened (`error` for what it cannot handle
 * itself, e.g. rate limits); the typed value stays here, so a failed send loses nothing.
 */
export function RequestSubmitForm({
  maxBytes,
  busy,
  error,
  onSubmit,
}: {
  maxBytes: number;
  busy: boolean;
  error: string | null;
  onSubmit: (value: string) => void;
}) {
  const ids = useId();
  const [value, setValue] = useState("");
  const [valueError, setValueError] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);

  const bytes = utf8Length(value);
  const overLimit = bytes > maxBytes;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (value.trim().length === 0) {
      setValueError("Enter the secret you want to send.");
      fieldRef.current?.focus();
      return;
    }
    if (overLimit) {
      setValueError(`The secret is ${formatBytes(bytes)}; the limit is ${formatBytes(maxBytes)}.`);
      fieldRef.current?.focus();
      return;
    }
    setValueError(null);
    onSubmit(value);
  }

  const counterId = `${ids}-counter`;
  const errorId = `${ids}-error`;
  const label = busy ? "Sending…" : "Send secret";

  return (
    <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
      <div className="field">
        <label className="field__label" htmlFor={`${ids}-value`}>
          Secret
        </label>
        <textarea
          ref={fieldRef}
          id={`${ids}-value`}
          className="input textarea input--mono"
          rows={7}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            if (valueError) setValueError(null);
          }}
          placeholder="Paste the password, API key or note that was asked for…"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          aria-invalid={overLimit || valueError !== null}
          aria-describedby={valueError || overLimit ? `${counterId} ${errorId}` : counterId}
          readOnly={busy}
        />
        <p id={counterId} className={`counter ${overLimit ? "counter--over" : ""}`}>
          <span>{plural(value.length, "character")}</span>
          <span aria-hidden="true"> · </span>
          <span>
            {formatBytes(bytes)} of {formatBytes(maxBytes)}
          </span>
        </p>
        {(valueError ?? overLimit) && (
          <p id={errorId} className="field__error" role="alert">
            {valueError ??
              `That is ${formatBytes(bytes - maxBytes)} over the limit. Shorten it to send it.`}
          </p>
        )}
      </div>

      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}

      <div className="form-actions">
        <button type="submit" className="button button--primary button--large" disabled={busy}>
          {busy ? <span className="spinner" aria-hidden="true" /> : <LockIcon />}
          <span>{label}</span>
        </button>
        <p className="form-actions__note">It can be sent once. You will not see it here again.</p>
        <p className="visually-hidden" role="status" aria-live="polite">
          {busy ? label : ""}
        </p>
      </div>
    </form>
  );
}
