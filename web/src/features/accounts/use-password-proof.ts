import { useRef, useState, type FormEvent } from "react";

import { useLingui } from "@lingui/react/macro";

import { isApiError } from "../../lib/api";
import { dashboardError } from "../dashboard/errors";

/**
 * The password typed again to confirm an action: the field's state, and a submit that asks for
 * it when empty, runs the action with it, and on `wrong_current_password` empties the field and
 * says so there (any other failure goes to `error`). After success, with `onDone` the field is
 * emptied and `onDone` called; without it the form stays busy (the page is leaving).
 */
export function usePasswordProof(
  run: (password: string) => Promise<void>,
  { onDone }: { onDone?: () => void } = {},
) {
  const { t } = useLingui();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (!password) {
      setFieldError(t`Enter your password to confirm.`);
      ref.current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      await run(password);
    } catch (caught) {
      setBusy(false);
      if (isApiError(caught, "wrong_current_password")) {
        setPassword("");
        setFieldError(t`The password is wrong.`);
        ref.current?.focus();
      } else setError(dashboardError(caught));
      return;
    }
    if (!onDone) return;
    setPassword("");
    setBusy(false);
    onDone();
  }

  return { password, setPassword, busy, fieldError, error, ref, submit };
}
