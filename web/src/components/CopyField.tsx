import { useId, type ReactNode } from "react";

import { useCopy } from "../lib/use-copy";
import { CopyAnnouncement, CopyButton } from "./CopyButton";

interface CopyFieldProps {
  label: string;
  value: string;
  hint?: string;
  /** Names the copy button for assistive tech, e.g. "Copy share link" (a whole message). */
  copyLabel: string;
  /** The main copy action of a page is primary; others are secondary. */
  variant?: "primary" | "secondary";
  /** More actions after Copy (e.g. the system share sheet). */
  actions?: ReactNode;
}

/**
 * A read-only value with a Copy button that confirms itself. The value wraps over as many lines
 * as it needs, so a whole link can be checked by eye, not just its first 40 characters.
 */
export function CopyField({
  label,
  value,
  hint,
  copyLabel,
  variant = "primary",
  actions,
}: CopyFieldProps) {
  const id = useId();
  const { state, copy } = useCopy();

  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="copy-field">
        <textarea
          id={id}
          className="input input--mono copy-field__input"
          rows={2}
          // Links and tokens read left to right in every language.
          dir="ltr"
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
        <CopyButton
          state={state}
          onCopy={() => void copy(value)}
          label={copyLabel}
          variant={variant}
        />
        {actions}
      </div>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <CopyAnnouncement state={state} what={label} />
    </div>
  );
}
