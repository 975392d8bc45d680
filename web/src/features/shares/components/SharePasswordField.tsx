import { Trans } from "@lingui/react/macro";
import type { RefObject } from "react";

import { FieldLabel } from "../../../components/FieldLabel";
import { PasswordInput } from "./PasswordInput";

/** The share form's password: optional, or required for external recipients or by policy. */
export function SharePasswordField({
  id,
  value,
  onChange,
  required,
  external,
  error,
  inputRef,
  readOnly,
}: {
  id: string;
  value: string;
  onChange: (next: string) => void;
  required: boolean;
  /** Required because external recipients will open it: the hint says how to send it. */
  external: boolean;
  error: string | null;
  inputRef: RefObject<HTMLInputElement | null>;
  /** While the form is busy: focusable and read, not edited (never disabled). */
  readOnly: boolean;
}) {
  return (
    <div className="field">
      <FieldLabel
        htmlFor={id}
        label={<Trans>Password</Trans>}
        mark={required ? "required" : "optional"}
      />
      <PasswordInput
        ref={inputRef}
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete="new-password"
        required={required}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        readOnly={readOnly}
      />
      <p className="field__hint" id={`${id}-hint`}>
        {external ? (
          <Trans>
            External recipients must enter this password; send it to them another way, never in the
            same e-mail.
          </Trans>
        ) : required ? (
          <Trans>
            Your organization requires one. The recipient must type it; send it by another channel.
          </Trans>
        ) : (
          <Trans>
            The recipient must type it to reveal the secret. Send it by another channel.
          </Trans>
        )}
      </p>
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
