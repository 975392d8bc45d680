import { useState, type FormEvent } from "react";

import { useLingui } from "@lingui/react/macro";

import { isApiError } from "../../lib/api";
import { useFormState } from "../../lib/use-form-state";
import { dashboardError } from "../dashboard/errors";

/**
 * The password typed again to confirm an action: the field's state, and a submit that asks for
 * it when empty, runs the action with it, and on `wrong_current_password` empties the field and
 * says so there (any other failure goes to `error`, in the words of `describe`). After success,
 * with `onDone` the field is emptied and `onDone` called; without it the form stays busy (the
 * page is leaving).
 */
export function usePasswordProof(
  run: (password: string) => Promise<void>,
  {
    onDone,
    describe = dashboardError,
  }: { onDone?: () => void; describe?: (caught: unknown) => string } = {},
) {
  const { t } = useLingui();
  const [password, setPassword] = useState("");
  const form = useFormState(dashboardError);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!form.start(event)) return;
    if (!password) return form.invalid(t`Enter your password to confirm.`);
    const done = await form.run(() => run(password), {
      failure: (caught) => {
        if (!isApiError(caught, "wrong_current_password")) return describe(caught);
        setPassword("");
        return { field: t`The password is wrong.` };
      },
      leaving: !onDone,
    });
    if (!done || !onDone) return;
    setPassword("");
    onDone();
  }

  const { busy, fieldError, error, fieldRef: ref } = form;
  return { password, setPassword, busy, fieldError, error, ref, submit };
}
