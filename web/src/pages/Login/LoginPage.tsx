import { useEffect, useRef, useState, type FormEvent } from "react";

import type { SecondFactorChallenge } from "@hushlink/protocol";

import { Notice } from "../../components/Notice";
import { accountsApi } from "../../features/accounts/api";
import { AuthCard } from "../../features/accounts/components/AuthCard";
import { AuthSubmit } from "../../features/accounts/components/AuthSubmit";
import { EmailField } from "../../features/accounts/components/EmailField";
import { Field } from "../../features/accounts/components/Field";
import { SecondFactorStep } from "../../features/accounts/components/SecondFactorStep";
import { accountErrorMessage } from "../../features/accounts/errors";
import { signupClosed } from "../../features/accounts/signup-policy";
import { usePublicConfig } from "../../features/shares/use-public-config";
import { isApiError } from "../../lib/api";
import { currentNext, rememberedEmail, returnTarget } from "../../lib/return-to";
import { useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";

const NOTICES: Record<string, string> = {
  "password-reset":
    "Your password was changed, and every session was signed out. Sign in with the new password.",
};

/** `/login?next=<path>`: e-mail and password, then back to `next` (fragment included). */
export function LoginPage() {
  useDocumentTitle("Sign in");
  const { session } = useSession();
  const [next] = useState(currentNext);
  const config = usePublicConfig();
  const [notice] = useState(
    () => NOTICES[new URLSearchParams(window.location.search).get("notice") ?? ""],
  );
  const [email, setEmail] = useState(() => rememberedEmail() ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<"email" | "password" | null>(null);
  /** The pending sign-in after the password, when the account has a second factor (F16). */
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Signed in already (another tab, the back button): go on.
  useEffect(() => {
    if (session.status === "signed-in") window.location.replace(returnTarget(next));
  }, [session.status, next]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (!email.trim()) {
      setMissing("email");
      emailRef.current?.focus();
      return;
    }
    if (!password) {
      setMissing("password");
      passwordRef.current?.focus();
      return;
    }
    setMissing(null);
    setBusy(true);
    try {
      const answer = await accountsApi.login({ email: email.trim(), password });
      if ("status" in answer) {
        // Kept in this component's memory only: never in the address, never in storage.
        setChallenge(answer);
        setPassword("");
        setBusy(false);
        return;
      }
      // Straight on; returnTarget() hands out a remembered link (with its fragment) only once.
      window.location.replace(returnTarget(next));
    } catch (caught) {
      setBusy(false);
      setError(
        isApiError(caught, "invalid_credentials")
          ? "The e-mail address or the password is wrong."
          : accountErrorMessage(caught),
      );
      passwordRef.current?.select();
    }
  }

  const nextQuery = next ? `?next=${encodeURIComponent(next)}` : "";

  if (challenge) {
    return (
      <SecondFactorStep
        challenge={challenge}
        onDone={() => window.location.replace(returnTarget(next))}
        onExpired={(message) => {
          setChallenge(null);
          setError(message);
          setTimeout(() => passwordRef.current?.focus(), 0);
        }}
      />
    );
  }

  return (
    <AuthCard
      title="Sign in"
      lead="Sign in to see your organization's secrets and to share with more options."
      footer={
        signupClosed(config, next) ? (
          <p>New here? Accounts on this server are by invitation: ask an admin to invite you.</p>
        ) : (
          <p>
            New here? <a href={`/signup${nextQuery}`}>Create an account</a>
          </p>
        )
      }
    >
      <form
        className="stack stack--tight"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
      >
        {notice && (
          <Notice tone="success" role="status">
            {notice}
          </Notice>
        )}
        <EmailField
          ref={emailRef}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={missing === "email" ? "Enter your e-mail address." : null}
          readOnly={busy}
        />
        <Field
          ref={passwordRef}
          label="Password"
          password
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={missing === "password" ? "Enter your password." : null}
          readOnly={busy}
        />
        <p className="auth-aside">
          <a href="/forgot-password">Forgot your password?</a>
        </p>
        <AuthSubmit busy={busy} error={error} label="Sign in" busyLabel="Signing in…" />
      </form>
    </AuthCard>
  );
}
