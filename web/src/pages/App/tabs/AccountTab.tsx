import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useRef, useState, type FormEvent } from "react";

import { BusyButton } from "../../../components/BusyButton";
import { CheckField } from "../../../components/CheckField";
import { BusyForm } from "../../../components/BusyForm";
import { FormSubmit } from "../../../components/FormSubmit";
import { CheckIcon, SignOutIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { accountsApi } from "../../../features/accounts/api";
import { DeleteAccount } from "../../../features/accounts/components/DeleteAccount";
import { NewPasswordFields } from "../../../features/accounts/components/NewPasswordFields";
import { PasswordProofField } from "../../../features/accounts/components/PasswordProofField";
import { ResendVerification } from "../../../features/accounts/components/ResendVerification";
import { SecondFactor } from "../../../features/accounts/components/SecondFactor";
import { MIN_PASSWORD_LENGTH } from "@hushlink/protocol/client";
import { accountErrorMessage } from "../../../features/accounts/errors";
import { useFieldErrors } from "../../../features/accounts/use-field-errors";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { dashboardError } from "../../../features/dashboard/errors";
import { isApiError, isUnauthorized } from "../../../lib/api";
import { roleLabel, useSignOut } from "../../../lib/session";
import { SideBySide } from "../../../components/SideBySide";
import type { TabProps } from "./tab-props";

/** Who you are: address, name, verification, organizations; the password; and Sign out. */
export function AccountTab({ me }: Pick<TabProps, "me">) {
  const ids = useId();
  const { signingOut, signOut } = useSignOut();

  return (
    <div className="stack">
      <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <h2 id={`${ids}-heading`} className="section-title">
          <Trans>Your account</Trans>
        </h2>
        <dl className="details">
          <div className="details__row">
            <dt>
              <Trans>E-mail address</Trans>
            </dt>
            <dd className="break-anywhere">{me.user.email}</dd>
          </div>
          <div className="details__row">
            <dt>
              <Trans>Name</Trans>
            </dt>
            <dd>
              {me.user.name ?? (
                <span className="details__muted">
                  <Trans>Not set</Trans>
                </span>
              )}
            </dd>
          </div>
          <div className="details__row">
            <dt>
              <Trans>Verification</Trans>
            </dt>
            <dd>
              {me.user.emailVerified ? (
                <span className="badge badge--success">
                  <CheckIcon />
                  <Trans>Confirmed</Trans>
                </span>
              ) : (
                <span className="verification">
                  <span className="badge badge--warning">
                    <Trans>Not confirmed yet</Trans>
                  </span>
                  <ResendVerification email={me.user.email} />
                </span>
              )}
            </dd>
          </div>
          <div className="details__row">
            <dt>
              <Trans>Organizations</Trans>
            </dt>
            <dd>
              <ul className="plain-list">
                {me.orgs.map((org) => (
                  <li key={org.id}>
                    <SideBySide
                      first={org.name}
                      second={<span className="details__muted">· {roleLabel(org.role)}</span>}
                    />
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        </dl>
      </section>

      <ChangePasswordForm email={me.user.email} />

      {me.user.emailVerified && <SecondFactor email={me.user.email} />}

      <DeleteAccount email={me.user.email} />

      <div className="form-actions">
        {/* Busy, aria-disabled rather than disabled, which dropped the focus to <body>. */}
        <BusyButton
          className="button button--secondary"
          busy={signingOut}
          onClick={() => void signOut()}
        >
          <SignOutIcon />
          <span>{signingOut ? <Trans>Signing out…</Trans> : <Trans>Sign out</Trans>}</span>
        </BusyButton>
      </div>
    </div>
  );
}

/**
 * The password, changed while signed in: the current one proves it is you (wrong guesses count
 * toward the account's lock-out). This browser stays signed in; every other one is signed out.
 */
function ChangePasswordForm({ email }: { email: string }) {
  const { t } = useLingui();
  const ids = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [keepTokens, setKeepTokens] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const newRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  const { invalid, errorFor, clear } = useFieldErrors({
    current: currentRef,
    new: newRef,
    repeat: repeatRef,
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setDone(false);
    if (!current) return invalid("current", t`Enter your current password.`);
    if (next.length < MIN_PASSWORD_LENGTH) {
      return invalid("new", t`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    if (next === current) {
      return invalid("new", t`The new password is the same as the current one.`);
    }
    if (repeat !== next) return invalid("repeat", t`The two new passwords are not the same.`);
    clear();
    setBusy(true);
    try {
      await accountsApi.changePassword(current, next, keepTokens);
      setCurrent("");
      setNext("");
      setRepeat("");
      setDone(true);
    } catch (caught) {
      if (isApiError(caught, "wrong_current_password")) {
        setCurrent("");
        invalid("current", caught.message);
      } else if (isApiError(caught, "weak_password") || isApiError(caught, "same_password")) {
        invalid("new", caught.message);
      } else if (isUnauthorized(caught)) {
        setError(dashboardError(caught));
      } else {
        setError(accountErrorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Change your password`}>
        <Trans>
          You stay signed in here; every other browser or device signed in to your account is signed
          out, and your API tokens stop working unless you keep them below. We e-mail you to confirm
          the change.
        </Trans>
      </TabIntro>
      <BusyForm busy={busy} onSubmit={submit}>
        <PasswordProofField
          email={email}
          ref={currentRef}
          label={t`Current password`}
          name="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          hint={
            <Trans>
              Forgotten? <a href="/forgot-password">Get a reset link by e-mail</a> instead.
            </Trans>
          }
          error={errorFor("current")}
          readOnly={busy}
        />
        <div className="field-row">
          <NewPasswordFields
            password={next}
            repeat={repeat}
            onPasswordChange={setNext}
            onRepeatChange={setRepeat}
            passwordError={errorFor("new")}
            repeatError={errorFor("repeat")}
            passwordRef={newRef}
            repeatRef={repeatRef}
            readOnly={busy}
          />
        </div>
        <CheckField
          id={`${ids}-keep-tokens`}
          label={<Trans>Keep my API tokens working</Trans>}
          hint={
            <Trans>
              Leave this off if you think someone else knows your password: whoever holds one of
              your tokens can use your account without the password.
            </Trans>
          }
          checked={keepTokens}
          onChange={setKeepTokens}
          busy={busy}
        />
        <FormSubmit busy={busy} error={error} label={t`Change password`} busyLabel={t`Changing…`} />
      </BusyForm>
      <div role="status" aria-live="polite" className="live-region">
        {done && (
          <Notice tone="success">
            {keepTokens ? (
              <Trans>
                Your password was changed. Other browsers and devices were signed out; this one
                stays signed in. Your API tokens still work.
              </Trans>
            ) : (
              <Trans>
                Your password was changed. Other browsers and devices were signed out; this one
                stays signed in. Your API tokens were revoked: create new ones for your scripts.
              </Trans>
            )}
          </Notice>
        )}
      </div>
    </section>
  );
}
