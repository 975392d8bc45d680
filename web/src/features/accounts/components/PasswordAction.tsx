import { useEffect, useState } from "react";

import { Trans } from "@lingui/react/macro";

import { FormSubmit } from "../../../components/FormSubmit";
import { usePasswordProof } from "../use-password-proof";
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
  describe,
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
  /** Words for a failure other than a wrong password (default: the dashboard's). */
  describe?: (caught: unknown) => string;
}) {
  const [open, setOpen] = useState(startOpen);
  const { password, setPassword, busy, fieldError, error, ref, submit } = usePasswordProof(run, {
    onDone: () => setOpen(false),
    ...(describe ? { describe } : {}),
  });
  useEffect(() => {
    if (startOpen) ref.current?.focus();
  }, [startOpen, ref]);

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
