import { useEffect, useRef, useState, type FormEvent } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { FormSubmit } from "../../../components/FormSubmit";
import { isApiError } from "../../../lib/api";
import { dashboardError } from "../../dashboard/errors";
import { PasswordProofField } from "./PasswordProofField";

/** A button that asks for the password before it acts. */
export function PasswordAction({
  email,
  label,
  fieldLabel,
  busyLabel,
  hint,
  danger = false,
  run,
  startOpen = false,
  onCancel,
}: {
  email: string;
  label: string;
  /** The password field's label: "Your password, to …" with the action, as a whole sentence. */
  fieldLabel: string;
  busyLabel: string;
  hint: string;
  danger?: boolean;
  run: (password: string) => Promise<void>;
  /** Opened by another control (a row's Remove): the form at once, Cancel hands back. */
  startOpen?: boolean;
  onCancel?: () => void;
}) {
  const { t } = useLingui();
  const [open, setOpen] = useState(startOpen);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (startOpen) ref.current?.focus();
  }, [startOpen]);

  if (!open)
    return (
      <div className="form-actions">
        <button
          type="button"
          className={danger ? "button button--ghost" : "button button--secondary"}
          onClick={() => {
            setOpen(true);
            setTimeout(() => ref.current?.focus(), 0);
          }}
        >
          {label}
        </button>
      </div>
    );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (!password) {
      setFieldError(t`Enter your password to confirm.`);
      ref.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await run(password);
      setOpen(false);
      setPassword("");
      setFieldError(null);
    } catch (caught) {
      if (isApiError(caught, "wrong_current_password")) {
        setPassword("");
        setFieldError(t`The password is wrong.`);
        ref.current?.focus();
      } else setError(dashboardError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
      <PasswordProofField
        email={email}
        ref={ref}
        label={fieldLabel}
        name={`${label}-password`}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={hint}
        error={fieldError}
        readOnly={busy}
      />
      <div className="form-actions">
        <FormSubmit busy={busy} error={error} label={label} busyLabel={busyLabel} danger={danger} />
        <button
          type="button"
          className="button button--ghost"
          onClick={() => {
            setOpen(false);
            onCancel?.();
          }}
        >
          <Trans>Cancel</Trans>
        </button>
      </div>
    </form>
  );
}
