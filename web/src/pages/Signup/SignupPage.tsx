import { useEffect, useRef, useState, type FormEvent } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { BusyForm } from "../../components/BusyForm";
import { accountsApi } from "../../features/accounts/api";
import { AuthCard } from "../../features/accounts/components/AuthCard";
import { AuthSubmit } from "../../features/accounts/components/AuthSubmit";
import { Outcome, OutcomeLink } from "../../features/accounts/components/Outcome";
import { EmailField } from "../../features/accounts/components/EmailField";
import { Field } from "../../features/accounts/components/Field";
import { MIN_PASSWORD_LENGTH } from "@hushlink/protocol/client";
import { accountErrorMessage } from "../../features/accounts/errors";
import { useFieldErrors } from "../../features/accounts/use-field-errors";
import { domainsHint, invitationIn, signupClosed } from "../../features/accounts/signup-policy";
import { usePublicConfig } from "../../features/shares/use-public-config";
import { isApiError } from "../../lib/api";
import { isEmailAddress } from "../../lib/email";
import { currentNext, forgetReturn, rememberedEmail, returnTarget } from "../../lib/return-to";
import { rememberOrg, useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { isLocale } from "../../i18n/locales";

/**
 * `/signup?next=<path>`: asks for the account; the page then says "check your inbox" whether or
 * not the address has one (issue 15), and the mailed link, opened in this browser, signs in.
 * Through an invitation the account is made and signed in at once.
 */
export function SignupPage() {
  const { t, i18n } = useLingui();
  useDocumentTitle(t`Create an account`);
  const { session } = useSession();
  const [next] = useState(currentNext);
  const config = usePublicConfig();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(() => rememberedEmail() ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const { invalid, errorFor, clear } = useFieldErrors({ email: emailRef, password: passwordRef });

  useEffect(() => {
    if (session.status === "signed-in") window.location.replace(returnTarget(next));
  }, [session.status, next]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const address = email.trim();
    if (!isEmailAddress(address)) return invalid("email", t`Enter a valid e-mail address.`);
    if (password.length < MIN_PASSWORD_LENGTH) {
      return invalid("password", t`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    clear();
    setBusy(true);
    try {
      const trimmedName = name.trim();
      const invitation = invitationIn(next);
      const answer = await accountsApi.signup({
        email: address,
        password,
        ...(trimmedName ? { name: trimmedName } : {}),
        ...(invitation ? { invitation } : {}),
        // The page's language names the new organization ("Organisation de Marie").
        ...(isLocale(i18n.locale) ? { locale: i18n.locale } : {}),
      });
      if ("status" in answer) {
        setBusy(false);
        setSentTo(address);
        return;
      }
      const joined = invitation ? answer.orgs[0] : undefined;
      if (joined) {
        // Signed up through the invitation: already a member of that organization, and only of it.
        rememberOrg(joined.id);
        forgetReturn();
        window.location.replace("/app");
        return;
      }
      window.location.replace(returnTarget(next));
    } catch (caught) {
      setBusy(false);
      if (isApiError(caught, "weak_password")) return invalid("password", caught.message);
      if (isApiError(caught, "invitation_email_mismatch")) return invalid("email", caught.message);
      if (isApiError(caught, "signup_domain_not_allowed")) return invalid("email", caught.message);
      // Only through an invitation: its holder owns the address, so saying so is safe.
      if (isApiError(caught, "email_taken")) return invalid("email", caught.message);
      setError(accountErrorMessage(caught));
    }
  }

  const nextQuery = next ? `?next=${encodeURIComponent(next)}` : "";
  // Both outcomes below (by invitation only, check your inbox) end on the way to sign in.
  const signIn = (
    <OutcomeLink href={`/login${nextQuery}`}>
      <Trans>Sign in</Trans>
    </OutcomeLink>
  );
  if (signupClosed(config, next)) {
    return (
      <div className="card card--narrow">
        <Outcome tone="warning" title={t`Accounts are by invitation`}>
          <p className="lead">
            <Trans>
              This server creates accounts only for people an organization invites. Ask an admin of
              your organization to invite you, then follow the link in the invitation.
            </Trans>
          </p>
          {signIn}
        </Outcome>
      </div>
    );
  }

  if (sentTo) {
    return (
      <div className="card card--narrow">
        <Outcome tone="mail" title={t`Check your inbox`}>
          <p className="lead">
            <Trans>
              We sent a message to <strong className="break-anywhere ltr">{sentTo}</strong>. Open
              the link in it in this browser to confirm the address and sign in.
            </Trans>
          </p>
          <p>
            <Trans>
              If the address already has an account, the message says so instead: sign in, or reset
              the password.
            </Trans>
          </p>
          {signIn}
        </Outcome>
      </div>
    );
  }

  return (
    <AuthCard
      title={t`Create an account`}
      lead={t`Share secrets with your team, see who opened them, and invite colleagues.`}
      footer={
        <p>
          <Trans>
            Have an account? <a href={`/login${nextQuery}`}>Sign in</a>
          </Trans>
        </p>
      }
    >
      <BusyForm busy={busy} onSubmit={submit}>
        <Field
          label={t`Your name`}
          optional
          name="name"
          autoComplete="name"
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          readOnly={busy}
        />
        <EmailField
          ref={emailRef}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          hint={[domainsHint(config, next), t`We send a link to confirm it.`]
            .filter(Boolean)
            .join(" ")}
          error={errorFor("email")}
          readOnly={busy}
        />
        <Field
          ref={passwordRef}
          label={t`Password`}
          password
          name="new-password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={t`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words are easy to remember and hard to guess.`}
          error={errorFor("password")}
          readOnly={busy}
        />
        <AuthSubmit
          busy={busy}
          error={error}
          label={t`Create account`}
          busyLabel={t`Creating your account…`}
        />
        <p className="field__hint">
          <Trans>
            Your account comes with an organization of its own; invite your team from the dashboard.
          </Trans>
        </p>
      </BusyForm>
    </AuthCard>
  );
}
