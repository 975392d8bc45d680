import { t } from "@lingui/core/macro";
import { Trans } from "@lingui/react/macro";
import type { Ref } from "react";

import { formatBytes, formatCharacters, utf8Length } from "../../../lib/format";

/** What a submit says about a secret over the server's limit, or null when it fits. */
export function secretTooLarge(value: string, maxBytes: number): string | null {
  const bytes = utf8Length(value);
  if (bytes <= maxBytes) return null;
  const size = formatBytes(bytes);
  const limit = formatBytes(maxBytes);
  return t`The secret is ${size}; the limit is ${limit}.`;
}

/**
 * The secret's textarea, with a live count of characters and bytes against the server's limit
 * (the limit is on UTF-8 bytes, which is what people cannot count themselves). Over the limit it
 * says so at once, before anything is sent; `error` is what the last submit found.
 */
export function SecretField({
  id,
  value,
  onChange,
  error,
  maxBytes,
  placeholder,
  shortenAdvice,
  inputRef,
  readOnly,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  maxBytes: number;
  placeholder: string;
  /** The end of the over-limit message, e.g. "Shorten it to send it." */
  shortenAdvice: string;
  inputRef: Ref<HTMLTextAreaElement>;
  /** While its form is busy: focusable and read, not edited (never disabled, which drops the focus). */
  readOnly?: boolean;
}) {
  const bytes = utf8Length(value);
  const overLimit = bytes > maxBytes;
  const counterId = `${id}-counter`;
  const errorId = `${id}-error`;
  const over = formatBytes(bytes - maxBytes);
  const size = formatBytes(bytes);
  const limit = formatBytes(maxBytes);
  const message =
    error ?? (overLimit ? `${t`That is ${over} over the limit.`} ${shortenAdvice}` : null);

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        <Trans>Secret</Trans>
      </label>
      <textarea
        ref={inputRef}
        id={id}
        className="input textarea input--mono"
        rows={7}
        // Secrets (passwords, keys, tokens) read left to right in every language.
        dir="ltr"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        aria-invalid={overLimit || error !== null}
        aria-describedby={message ? `${counterId} ${errorId}` : counterId}
        readOnly={readOnly}
      />
      <p id={counterId} className={`counter ${overLimit ? "counter--over" : ""}`}>
        <span>{formatCharacters(value.length)}</span>
        <span aria-hidden="true"> · </span>
        <span>
          <Trans>
            {size} of {limit}
          </Trans>
        </span>
      </p>
      {message && (
        <p id={errorId} className="field__error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
