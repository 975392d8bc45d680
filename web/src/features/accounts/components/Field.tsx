import { useId, type ComponentPropsWithRef, type ReactNode } from "react";

import { FieldLabel } from "../../../components/FieldLabel";
import { PasswordInput } from "../../shares/components/PasswordInput";

type InputProps = Omit<ComponentPropsWithRef<"input">, "id" | "className">;

/** A labelled input with an optional hint and error, wired with aria-describedby/-invalid. */
export function Field({
  label,
  optional = false,
  hint,
  error,
  password = false,
  ...input
}: InputProps & {
  label: string;
  optional?: boolean;
  hint?: ReactNode;
  error?: string | null;
  /** A password field with a show/hide toggle. */
  password?: boolean;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  const common = {
    ...input,
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described || undefined,
  };
  return (
    <div className="field">
      <FieldLabel htmlFor={id} label={label} mark={optional ? "optional" : null} />
      {password ? <PasswordInput {...common} /> : <input {...common} className="input" />}
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
