import { useRef, useState, type FormEvent } from "react";

import { MIN_PASSWORD_LENGTH } from "@hushlink/protocol/client";
import { isApiError } from "../../../lib/api";
import { accountsApi } from "../api";
import { accountErrorMessage } from "../errors";
import { AuthCard } from "./AuthCard";
import { AuthSubmit } from "./AuthSubmit";
import { NewPasswordFields } from "./NewPasswordFields";

type FieldName = "password" | "repeat";

/**
 * A verification link opened outside the browser that signed up (issue 15): whoever typed the
 * address may not be the owner of the inbox, so confirming it also sets a new password, and the
 * one typed at sign-up stops working.
 */
export function VerifyNewPassword({
  token,
  onVerified,
  onInvalid,
}: {
  token: string;
  onVerified: () => void;
  onInvalid: () => void;
}) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ field: FieldName; message: string } | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  function invalid(field: FieldName, message: string) {
    setFieldError({ field, message });
    (field === "password" ? passwordRef : repeatRef).current?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (password.length < MIN_PASSWORD_LENGTH) {
      return invalid("password", `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (repeat !== password) return invalid("repeat", "The two passwords are not the same.");
    setFieldError(null);
    setBusy(true);
    try {
      await accountsApi.verifyEmail(token, password);
      onVerified();
    } catch (caught) {
      setBusy(false);
      if (isApiError(caught, "invalid_token")) onInvalid();
      else if (isApiError(caught, "weak_password")) invalid("password", caught.message);
      else setError(accountErrorMessage(caught));
    }
  }

  const errorFor = (field: FieldName) => (fieldError?.field === field ? fieldError.message : null);

  return (
    <AuthCard
      title="Choose a password to confirm your address"
      lead="This link was opened in another browser than the one that signed up. To make sure nobody else can sign in with the password typed then, choose a new one."
    >
      <form
        className="stack stack--tight"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
      >
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
        <AuthSubmit
          busy={busy}
          error={error}
          label="Confirm and set password"
          busyLabel="Confirming…"
        />
        <p className="field__hint">
          Every device signed in to the account is signed out; this browser is signed in.
        </p>
      </form>
    </AuthCard>
  );
}
