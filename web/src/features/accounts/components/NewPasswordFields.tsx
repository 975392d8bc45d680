import type { Ref } from "react";

import { useLingui } from "@lingui/react/macro";

import { MIN_PASSWORD_LENGTH } from "@hushlink/protocol/client";
import { Field } from "./Field";

/**
 * A new password typed twice, as reset and change-password ask for it. Both inputs say
 * `new-password` so password managers offer to generate and save one; the names tell them
 * apart. The page keeps the values, errors and refs (it moves focus to the field in error) and
 * checks length and match itself, since its messages and their order differ.
 */
export function NewPasswordFields({
  password,
  repeat,
  onPasswordChange,
  onRepeatChange,
  passwordError,
  repeatError,
  passwordRef,
  repeatRef,
  readOnly,
}: {
  password: string;
  repeat: string;
  onPasswordChange: (value: string) => void;
  onRepeatChange: (value: string) => void;
  passwordError: string | null;
  repeatError: string | null;
  passwordRef: Ref<HTMLInputElement>;
  repeatRef: Ref<HTMLInputElement>;
  readOnly: boolean;
}) {
  const { t } = useLingui();
  return (
    <>
      <Field
        ref={passwordRef}
        label={t`New password`}
        password
        name="new-password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => onPasswordChange(e.target.value)}
        hint={t`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={passwordError}
        readOnly={readOnly}
      />
      <Field
        ref={repeatRef}
        label={t`New password, again`}
        password
        name="repeat-password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => onRepeatChange(e.target.value)}
        error={repeatError}
        readOnly={readOnly}
      />
    </>
  );
}
