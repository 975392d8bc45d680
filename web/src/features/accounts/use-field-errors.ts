import { useState, type RefObject } from "react";

/**
 * The one field error an account form shows at a time (sign-up, a new password, changing it):
 * `invalid` puts a message under a field and moves focus to its input in `inputs`, so a screen
 * reader reads the field with its message; `errorFor` is each field's message or null; `clear`
 * takes it away before an attempt.
 */
export function useFieldErrors<Field extends string>(
  inputs: Record<Field, RefObject<HTMLInputElement | null>>,
) {
  const [fieldError, setFieldError] = useState<{ field: Field; message: string } | null>(null);
  return {
    invalid: (field: Field, message: string) => {
      setFieldError({ field, message });
      inputs[field].current?.focus();
    },
    errorFor: (field: Field) => (fieldError?.field === field ? fieldError.message : null),
    clear: () => setFieldError(null),
  };
}
