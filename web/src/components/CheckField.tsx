import type { ReactNode } from "react";

import { unlessBusy } from "../lib/busy";

interface CheckFieldProps {
  /** The input's id; the label points at it and the hint, if any, is `${id}-hint`. */
  id: string;
  label: ReactNode;
  /** A line under the label that the input is described by. */
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Cannot be chosen at all (a policy forbids it); the hint should say why. */
  disabled?: boolean;
  /** Its form is busy: focusable, aria-disabled, and a change is ignored (unlessBusy). */
  busy?: boolean;
  /** A radio button takes `name` (its group) and `value`. */
  type?: "checkbox" | "radio";
  name?: string;
  value?: string;
  /** More classes on the row, after `check`. */
  className?: string;
}

/**
 * A checkbox or radio button with its label and optional hint, wired together (for, id,
 * aria-describedby) the same way on every form.
 */
export function CheckField({
  id,
  label,
  hint,
  checked,
  onChange,
  disabled,
  busy = false,
  type = "checkbox",
  name,
  value,
  className,
}: CheckFieldProps) {
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className={className ? `check ${className}` : "check"}>
      <input
        id={id}
        className="check__input"
        type={type}
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        aria-disabled={busy || undefined}
        onClick={unlessBusy(busy)}
        onChange={(event) => {
          if (!busy) onChange(event.target.checked);
        }}
        aria-describedby={hintId}
      />
      <label className="check__label" htmlFor={id}>
        {label}
      </label>
      {hintId && (
        <p className="check__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
