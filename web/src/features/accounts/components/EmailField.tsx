import type { ComponentProps } from "react";

import { useLingui } from "@lingui/react/macro";

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
  const { t } = useLingui();
  return (
    <Field
      {...props}
      label={t`E-mail address`}
      type="email"
      name="email"
      autoComplete="email"
      inputMode="email"
      spellCheck={false}
      autoCapitalize="off"
    />
  );
}
