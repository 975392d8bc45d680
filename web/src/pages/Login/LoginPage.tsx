import { useEffect, useRef, useState, type FormEvent } from "react";

import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import type { SecondFactorChallenge } from "@hushlink/protocol";

import { BusyForm } from "../../components/BusyForm";
import { Notice } from "../../components/Notice";
import { accountsApi } from "../../features/accounts/api";
import { AuthCard } from "../../features/accounts/components/AuthCard";
import { AuthSubmit } from "../../features/accounts/components/AuthSubmit";
import { EmailField } from "../../features/accounts/components/EmailField";
import { Field } from "../../features/accounts/components/Field";
import { PasskeySignIn } from "../../features/accounts/components/PasskeySignIn";
import { SecondFactorStep } from "../../features/accounts/components/SecondFactorStep";
import { accountErrorMessage } from "../../features/accounts/errors";
import { signupClosed } from "../../features/accounts/signup-policy";
import { SSO_ERRORS, ssoApi } from "../../features/sso/api";
import { usePublicConfig } from "../../features/shares/use-public-config";
import { isApiError } from "../../lib/api";
import { currentNext, rememberedEmail, returnTarget } from "../../lib/return-to";
import { useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { Gap } from "../../components/SideBySide";

// Descriptors, translated when shown: the notice follows a language picked on this page.
const NOTICES: Record<string, MessageDescriptor> = {
  "password-reset": msg`Your password was changed, and every session was signed out. Sign in with the new password.`,
};

/** What the server said of the address typed: its domain signs in through SSO, or a password. */
type Route = { email: string; startUrl: string | null } | null;

const looksLikeAddress = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/**
 * `/login?next=<path>`: the e-mail address first; an address of a single sign-on domain goes to
 * its identity provider (SPEC F15), any other is asked for its password; then back to `next`
 * (fragment included).
 */
export function LoginPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Sign in`);
  const { session } = useSession();
  const [next] = useState(currentNext);
  const config = usePublicConfig();
  const [notice] = useState(
    () => NOTICES[new URLSearchParams(window.location.search).get("notice") ?? ""],
  );
  const [ssoError] = useState(() => {
    const reason = new URLSearchParams(window.location.search).get("sso_error");
    return reason === null ? null : (SSO_ERRORS[reason] ?? SSO_ERRORS.provider!);
  });
  const [route, setRoute] = useState<Route>(null);
  /** Break-glass admins (and anyone while SSO is not required) may still use a password. */
  const [passwordInstead, setPasswordInstead] = useState(false);
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

  const typed = email.trim();
  const discovered = route !== null && route.email === typed ? route : null;
  const known =
    discovered && passwordInstead ? { email: discovered.email, startUrl: null } : discovered;

  /** Asks the server how this address signs in (by its domain only). */
  async function discover(address: string): Promise<Route> {
    const answer = await ssoApi.discover(address);
    const next = { email: address, startUrl: answer.sso ? answer.startUrl : null };
    setRoute(next);
    return next;
  }

  // Decided as the address is typed, so the password field appears only for password sign-in.
  useEffect(() => {
    if (!looksLikeAddress(typed) || known) return;
    const timer = window.setTimeout(() => void discover(typed).catch(() => undefined), 400);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `known` follows `typed` and `route`
  }, [typed, route]);

  function toProvider(startUrl: string) {
    // Back to this page, signed in: it then goes on to `next` with the fragment it remembered
    // in this tab (a link's key never travels in a query). The server accepts only own paths.
    const to = new URL(startUrl, window.location.origin);
    to.searchParams.set("returnTo", `/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    window.location.assign(to.pathname + to.search);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (!email.trim()) {
      setMissing("email");
      emailRef.current?.focus();
      return;
    }
    if (!known) {
      setBusy(true);
      let answer: Route;
      try {
        answer = await discover(email.trim());
      } catch (caught) {
        setBusy(false);
        setError(accountErrorMessage(caught));
        return;
      }
      setBusy(false);
      if (answer?.startUrl) toProvider(answer.startUrl);
      else window.setTimeout(() => passwordRef.current?.focus(), 0);
      return;
    }
    if (known.startUrl) {
      setBusy(true);
      toProvider(known.startUrl);
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
          ? t`The e-mail address or the password is wrong.`
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
      title={t`Sign in`}
      lead={t`Sign in to see your organization's secrets and to share with more options.`}
      footer={
        signupClosed(config, next) ? (
          <p>
            <Trans>
              New here? Accounts on this server are by invitation: ask an admin to invite you.
            </Trans>
          </p>
        ) : (
          <p>
            <Trans>
              New here? <a href={`/signup${nextQuery}`}>Create an account</a>
            </Trans>
          </p>
        )
      }
    >
      <BusyForm busy={busy} onSubmit={submit}>
        {notice && (
          <Notice tone="success" role="status">
            {t(notice)}
          </Notice>
        )}
        {ssoError && (
          <Notice tone="danger" role="alert">
            {ssoError}
          </Notice>
        )}
        <EmailField
          ref={emailRef}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={missing === "email" ? t`Enter your e-mail address.` : null}
          readOnly={busy}
        />
        {known?.startUrl ? (
          <p className="field__hint">
            <Trans>Your organization signs you in through its identity provider.</Trans>
            <Gap />
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setPasswordInstead(true);
                window.setTimeout(() => passwordRef.current?.focus(), 0);
              }}
            >
              <Trans>Use my password instead</Trans>
            </button>
          </p>
        ) : known ? (
          <>
            <Field
              ref={passwordRef}
              label={t`Password`}
              password
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={missing === "password" ? t`Enter your password.` : null}
              readOnly={busy}
            />
            <p className="auth-aside">
              <a href="/forgot-password">
                <Trans>Forgot your password?</Trans>
              </a>
            </p>
          </>
        ) : null}
        <AuthSubmit
          busy={busy}
          error={error}
          label={
            known?.startUrl ? t`Continue with single sign-on` : known ? t`Sign in` : t`Continue`
          }
          busyLabel={known && !known.startUrl ? t`Signing in…` : t`Continuing…`}
        />
        {/* Outside the address's flow: no address, no password (a button, not a submit). */}
        <PasskeySignIn onDone={() => window.location.replace(returnTarget(next))} />
      </BusyForm>
    </AuthCard>
  );
}
