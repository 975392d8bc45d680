import type { ComponentProps } from "react";

import { Field } from "./Field";

/**
 * The account's password, typed to confirm an action. Beside it, hidden, the account's address,
 * so a password manager knows which account the password belongs to.
 */
export function PasswordProofField({
  email,
  ...field
}: Omit<ComponentProps<typeof Field>, "password" | "autoComplete"> & { email: string }) {
  return (
    <>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className="field-row">
        <Field {...field} password autoComplete="current-password" />
      </div>
    </>
  );
}
