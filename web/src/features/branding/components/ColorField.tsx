import { useId, useState } from "react";
import { useLingui } from "@lingui/react/macro";

import { unlessBusy } from "../../../lib/busy";
import { normalizeHex } from "../colors";

/**
 * One brand colour: the browser's colour picker and a text field for `#rrggbb`, kept in step.
 * `value` null means "Hushlink's default", which the picker shows and the text field leaves empty
 * (the default as its placeholder). For a member who cannot change it, the Colours fieldset
 * around it is disabled.
 */
export function ColorField({
  label,
  hint,
  value,
  defaultValue,
  onChange,
  busy,
  invalid = false,
  errorId,
}: {
  label: string;
  hint: string;
  value: string | null;
  defaultValue: string;
  onChange: (value: string | null) => void;
  /** The form is saving: the code readOnly, the picker aria-disabled and ignored (unlessBusy). */
  busy: boolean;
  /** Set while the server refuses the combination this colour is part of (low contrast). */
  invalid?: boolean;
  /** The id of the message that says why, for aria-describedby. */
  errorId?: string;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [draft, setDraft] = useState(value ?? "");
  const [draftError, setDraftError] = useState<string | null>(null);

  // A new value from outside (the picker, Reset, the server's answer) replaces what was typed,
  // unless it is what was typed. (State adjusted while rendering, as React recommends.)
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    if (normalizeHex(draft) !== value) setDraft(value ?? "");
    setDraftError(null);
  }

  function typed(text: string) {
    setDraft(text);
    setDraftError(null);
    if (text.trim() === "") onChange(null);
    // Only a complete #rrggbb takes effect while typing ("#0f7" is on its way to "#0f766e").
    else if (/^#?[0-9a-f]{6}$/i.test(text.trim())) onChange(normalizeHex(text));
  }

  function checkDraft() {
    if (draft.trim() === "") return;
    const hex = normalizeHex(draft);
    if (!hex) setDraftError(t`Write the colour as #rrggbb, for example ${defaultValue}.`);
    else if (hex !== value) onChange(hex);
  }

  const describedBy = [`${ids}-hint`, draftError ? `${ids}-error` : null, invalid ? errorId : null]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="field color-field">
      <label className="field__label" htmlFor={`${ids}-hex`}>
        {label}
      </label>
      <div className="color-field__inputs">
        <input
          type="color"
          className="color-field__picker"
          value={value ?? defaultValue}
          onClick={unlessBusy(busy)}
          onChange={unlessBusy(busy, (event) => onChange(event.target.value.toLowerCase()))}
          aria-label={t`${label} picker`}
          aria-disabled={busy || undefined}
        />
        <input
          id={`${ids}-hex`}
          type="text"
          className="input input--mono color-field__hex"
          // A colour code reads left to right on Arabic pages too.
          dir="ltr"
          value={draft}
          placeholder={defaultValue}
          onChange={(event) => typed(event.target.value)}
          onBlur={checkDraft}
          maxLength={7}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={invalid || draftError !== null}
          aria-describedby={describedBy}
          readOnly={busy}
        />
      </div>
      <p className="field__hint" id={`${ids}-hint`}>
        {hint} {value === null ? t`Default.` : null}
      </p>
      {draftError && (
        <p className="field__error" id={`${ids}-error`} role="alert">
          {draftError}
        </p>
      )}
    </div>
  );
}
