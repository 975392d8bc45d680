import { useRef, useState, type FormEvent, type ReactNode } from "react";

import { useLingui } from "@lingui/react/macro";

import { MIN_PASSWORD_LENGTH } from "@hushlink/protocol/client";
import { BusyForm } from "../../../components/BusyForm";
import { isApiError } from "../../../lib/api";
import { accountErrorMessage } from "../errors";
import { useFieldErrors } from "../use-field-errors";
import { AuthCard } from "./AuthCard";
import { AuthSubmit } from "./AuthSubmit";
import { NewPasswordFields } from "./NewPasswordFields";

/**
 * A page that only sets a new password with a token from the inbox: the password reset, and a
 * verification link opened outside the browser that signed up. Checks length and match, sends
 * the password with `save`, puts a refused password under its field, and hands a dead link to
 * `onInvalidLink`; `save` does what success means (a navigation, a new state).
 */
export function NewPasswordForm({
  title,
  lead,
  label,
  busyLabel,
  hint,
  save,
  onInvalidLink,
}: {
  title: string;
  lead: ReactNode;
  label: string;
  busyLabel: string;
  hint?: ReactNode;
  save: (password: string) => Promise<void>;
  onInvalidLink: () => void;
}) {
  const { t } = useLingui();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  const { invalid, errorFor, clear } = useFieldErrors({ password: passwordRef, repeat: repeatRef });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (password.length < MIN_PASSWORD_LENGTH) {
      return invalid("password", t`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (repeat !== password) return invalid("repeat", t`The two passwords are not the same.`);
    clear();
    setBusy(true);
    try {
      await save(password);
    } catch (caught) {
      setBusy(false);
      if (isApiError(caught, "invalid_token")) onInvalidLink();
      else if (isApiError(caught, "weak_password")) invalid("password", caught.message);
      else setError(accountErrorMessage(caught));
    }
  }

  return (
    <AuthCard title={title} lead={lead}>
      <BusyForm busy={busy} onSubmit={submit}>
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPasswordChange={setPassword}
          onRepeatChange={setRepeat}
          passwordError={errorFor("password")}
          repeatError={errorFor("repeat")}
          passwordRef={passwordRef}
          repeatRef={repeatRef}
          readOnly={busy}
        />
        <AuthSubmit busy={busy} error={error} label={label} busyLabel={busyLabel} />
        {hint && <p className="field__hint">{hint}</p>}
      </BusyForm>
    </AuthCard>
  );
}
