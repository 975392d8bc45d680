import type { ComponentProps } from "react";

import { Field } from "./Field";

type EmailFieldProps = Omit<
  ComponentProps<typeof Field>,
  | "label"
  | "type"
  | "password"
  | "name"
  | "autoComplete"
  | "inputMode"
  | "spellCheck"
  | "autoCapitalize"
>;

/**
 * The account's e-mail address, the same on sign-in, sign-up and forgotten password: `email` autocomplete so
 * the browser offers saved addresses, the e-mail keyboard on phones, and no spell-check or
 * capitals, which would only alter an address.
 */
export function EmailField(props: EmailFieldProps) {
  return (
    <Field
      {...props}
      label="E-mail address"
      type="email"
      name="email"
      autoComplete="email"
      inputMode="email"
      spellCheck={false}
      autoCapitalize="off"
    />
  );
}
