import { useLingui } from "@lingui/react/macro";
import { useState, type ComponentPropsWithRef } from "react";

import { EyeIcon, EyeOffIcon } from "../../../components/icons";

type PasswordInputProps = Omit<ComponentPropsWithRef<"input">, "type"> & { id: string };

/** A password field with a show/hide toggle that keeps the field's value and focus. */
export function PasswordInput({ className, ...props }: PasswordInputProps) {
  const { t } = useLingui();
  const [visible, setVisible] = useState(false);
  return (
    <div className="password-input">
      <input
        {...props}
        className={`input password-input__field ${className ?? ""}`}
        type={visible ? "text" : "password"}
        // Shown or not, a password reads left to right in every language.
        dir="ltr"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
      />
      <button
        type="button"
        className="password-input__toggle"
        aria-pressed={visible}
        aria-controls={props.id}
        aria-label={t`Show password`}
        title={visible ? t`Hide password` : t`Show password`}
        onClick={() => setVisible((v) => !v)}
      >
        {visible ? <EyeOffIcon /> : <EyeIcon />}
      </button>
    </div>
  );
}
