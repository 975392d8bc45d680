import { useRef, useState, type FormEvent } from "react";

import { accountsApi } from "../../features/accounts/api";
import { AuthCard } from "../../features/accounts/components/AuthCard";
import { AuthSubmit } from "../../features/accounts/components/AuthSubmit";
import { NewPasswordFields } from "../../features/accounts/components/NewPasswordFields";
import { Outcome } from "../../features/accounts/components/Outcome";
import { MIN_PASSWORD_LENGTH } from "@hushlink/protocol/client";
import { accountErrorMessage } from "../../features/accounts/errors";
import { isApiError } from "../../lib/api";
import { useDocumentTitle } from "../../lib/use-document-title";

type FieldName = "password" | "repeat";

/**
 * `/reset-password#<token>`: the token arrives in the fragment (never sent to the server by the
 * browser, never in logs); main.tsx took it from the address bar before the first render.
 */
export function ResetPasswordPage({ token }: { token: string }) {
  useDocumentTitle("Choose a new password");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [invalidLink, setInvalidLink] = useState(!token);
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
      await accountsApi.confirmPasswordReset(token, password);
      window.location.replace("/login?notice=password-reset");
    } catch (caught) {
      setBusy(false);
      if (isApiError(caught, "invalid_token")) setInvalidLink(true);
      else if (isApiError(caught, "weak_password")) invalid("password", caught.message);
      else setError(accountErrorMessage(caught));
    }
  }

  if (invalidLink) {
    return (
      <div className="card card--narrow">
        <Outcome tone="warning" title="This reset link does not work">
          <p className="lead">
            {token
              ? "It was used already, or it expired. Ask for a new one."
              : "It is incomplete: the part after “#” is missing. Open the whole link from the e-mail, or ask for a new one."}
          </p>
          <p>
            <a className="button button--primary" href="/forgot-password">
              Ask for a new link
            </a>
          </p>
        </Outcome>
      </div>
    );
  }

  const errorFor = (field: FieldName) => (fieldError?.field === field ? fieldError.message : null);

  return (
    <AuthCard
      title="Choose a new password"
      lead="After the change, every device signed in to your account is signed out."
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
        <AuthSubmit busy={busy} error={error} label="Set new password" busyLabel="Saving…" />
      </form>
    </AuthCard>
  );
}
