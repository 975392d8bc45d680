import type { ReactNode } from "react";

import { FieldLabel } from "../../../components/FieldLabel";

/**
 * The optional name of a share or a request (SPEC F1, F6: up to 200 characters). The hint says
 * who will see it, which differs: a share's name stays with its creator, a request's is shown
 * to the person asked.
 */
export function NameField({
  id,
  label,
  value,
  onChange,
  placeholder,
  hint,
  readOnly,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  hint: ReactNode;
  /** While its form is busy: focusable and read, not edited (never disabled). */
  readOnly: boolean;
}) {
  return (
    <div className="field">
      <FieldLabel htmlFor={id} label={label} mark="optional" />
      <input
        id={id}
        className="input"
        type="text"
        value={value}
        maxLength={200}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        readOnly={readOnly}
      />
      <p className="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}
