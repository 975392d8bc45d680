import { useId, useRef, useState, type FormEvent } from "react";

import { FormSubmit } from "../../../components/FormSubmit";
import { LockIcon } from "../../../components/icons";
import { SecretField, secretTooLarge } from "../../shares/components/SecretField";

/**
 * The one field of a request page: the secret, checked against the server's size limit before it
 * is sent. The page does the sending and says what happened (`error` for what it cannot handle
 * itself, e.g. rate limits); the typed value stays here, so a failed send loses nothing.
 */
export function RequestSubmitForm({
  maxBytes,
  busy,
  error,
  onSubmit,
}: {
  maxBytes: number;
  busy: boolean;
  error: string | null;
  onSubmit: (value: string) => void;
}) {
  const ids = useId();
  const [value, setValue] = useState("");
  const [valueError, setValueError] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const problem =
      value.trim().length === 0
        ? "Enter the secret you want to send."
        : secretTooLarge(value, maxBytes);
    if (problem) {
      setValueError(problem);
      fieldRef.current?.focus();
      return;
    }
    setValueError(null);
    onSubmit(value);
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
      <SecretField
        id={`${ids}-value`}
        value={value}
        onChange={(next) => {
          setValue(next);
          if (valueError) setValueError(null);
        }}
        error={valueError}
        maxBytes={maxBytes}
        placeholder="Paste the password, API key or note that was asked for…"
        shortenAdvice="Shorten it to send it."
        inputRef={fieldRef}
        readOnly={busy}
      />
      <FormSubmit
        busy={busy}
        error={error}
        label="Send secret"
        busyLabel="Sending…"
        icon={<LockIcon />}
        large
        note="It can be sent once. You will not see it here again."
        announce
      />
    </form>
  );
}
