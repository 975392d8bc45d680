import { useId, type ReactNode } from "react";

import { Announcer } from "./Announcer";
import { Notice } from "./Notice";

/**
 * The end of a form: the error of the last attempt, if any, and the one submit button, whose
 * icon gives way to a spinner while the form is busy. `announce` also says the busy label to
 * screen readers, for forms whose work takes long enough to notice (encrypting, sending).
 */
export function FormSubmit({
  busy,
  error,
  label,
  busyLabel = label,
  icon,
  large = false,
  block = false,
  note,
  announce = false,
  danger = false,
  disabled = false,
}: {
  busy: boolean;
  error: string | null;
  label: string;
  busyLabel?: string;
  icon?: ReactNode;
  large?: boolean;
  /** Full width, as on the narrow sign-in cards. */
  block?: boolean;
  /** A line beside the button on what pressing it means. */
  note?: ReactNode;
  announce?: boolean;
  /** A button that destroys: the danger colour. */
  danger?: boolean;
  /** Cannot succeed yet; `note` should say why. */
  disabled?: boolean;
}) {
  const noteId = useId();
  const text = busy ? busyLabel : label;
  const size = `${large ? " button--large" : ""}${block ? " button--block" : ""}`;
  return (
    <>
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      <div className="form-actions">
        {/* Busy, the button is aria-disabled rather than disabled: a disabled button loses the
            focus (to <body>, and the next Tab starts at the top of the page). Its click, also
            the one Enter in a field makes, is cancelled instead: no second submit. Enter in a
            field leaves the focus in that field, which stays focusable while busy (readOnly, not
            disabled), so Enter there tries again after a failure; only a pointer's click
            (detail > 0; Safari does not focus a clicked button) brings the focus here. */}
        <button
          type="submit"
          className={`button ${danger ? "button--danger" : "button--primary"}${size}`}
          disabled={disabled}
          aria-disabled={busy || undefined}
          onClick={(event) => {
            if (busy) event.preventDefault();
            else if (event.detail > 0) event.currentTarget.focus();
          }}
          aria-describedby={note && disabled ? noteId : undefined}
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : icon}
          <span>{text}</span>
        </button>
        {note && (
          <p className="form-actions__note" id={noteId}>
            {note}
          </p>
        )}
        {announce && <Announcer message={busy ? text : ""} />}
      </div>
    </>
  );
}
