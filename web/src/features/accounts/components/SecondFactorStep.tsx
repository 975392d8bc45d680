import { useState, type FormEvent } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import type { SecondFactorChallenge } from "@hushlink/protocol";

import { BusyForm } from "../../../components/BusyForm";
import { isApiError } from "../../../lib/api";
import { useFormState } from "../../../lib/use-form-state";
import { accountsApi } from "../api";
import { accountErrorMessage } from "../errors";
import { passkeyBrowserError, signWithPasskey } from "../passkeys";
import { AuthCard } from "./AuthCard";
import { AuthSubmit } from "./AuthSubmit";
import { Field } from "./Field";
import { BusyButton } from "../../../components/BusyButton";

/**
 * The second step of signing in (F16): the password was right, and the account asks for the code
 * from its authenticator app, one of its passkeys, or one of its recovery codes. The pending sign-in's token lives in
 * this component's props only.
 */
export function SecondFactorStep({
  challenge,
  onDone,
  onExpired,
}: {
  challenge: SecondFactorChallenge;
  onDone: () => void;
  onExpired: (message: string) => void;
}) {
  const { t } = useLingui();
  const expired = () =>
    onExpired(
      t`That sign-in took too long or had too many wrong codes. Enter your password again.`,
    );
  const hasTotp = challenge.methods.includes("totp");
  const hasPasskey = challenge.methods.includes("passkey");
  const [mode, setMode] = useState<"totp" | "recovery">(hasTotp ? "totp" : "recovery");
  const [code, setCode] = useState("");
  const form = useFormState(accountErrorMessage);
  const { busy, error, fieldError, fieldRef: codeRef } = form;
  const recovery = mode === "recovery";
  /** True when the pending sign-in expired: it starts again at the password, not here. */
  const ended = (caught: unknown) => {
    if (!isApiError(caught, "sign_in_expired")) return false;
    expired();
    return true;
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!form.start(event)) return;
    const typed = code.trim();
    if (!recovery && !/^\d{3}\s?\d{3}$/.test(typed))
      return form.invalid(t`Enter the 6 digits your authenticator app shows.`);
    if (recovery && !typed) return form.invalid(t`Enter one of your recovery codes.`);
    await form.run(
      async () => {
        await accountsApi.completeSignIn({
          pendingToken: challenge.pendingToken,
          ...(recovery ? { recoveryCode: typed } : { code: typed }),
        });
        onDone();
      },
      {
        failure: (caught) => {
          if (ended(caught)) return null;
          if (!isApiError(caught, "invalid_code")) return accountErrorMessage(caught);
          setCode("");
          return {
            field: recovery
              ? t`That recovery code is wrong or was used already.`
              : t`That code is wrong or was used already. Wait for the next one in your app.`,
          };
        },
        leaving: true,
      },
    );
  }

  /** The browser asks for one of the account's passkeys; its answer completes the sign-in. */
  async function withPasskey() {
    if (!form.start()) return;
    await form.run(
      async () => {
        const options = await accountsApi.secondStepPasskeyOptions(challenge.pendingToken);
        const passkey = await signWithPasskey(options);
        await accountsApi.completeSignIn({ pendingToken: challenge.pendingToken, passkey });
        onDone();
      },
      {
        failure: (caught) =>
          ended(caught)
            ? null
            : (passkeyBrowserError(caught, false) ?? accountErrorMessage(caught)),
        leaving: true,
      },
    );
  }

  function switchMode() {
    setMode(recovery ? "totp" : "recovery");
    setCode("");
    form.setFieldError(null);
    form.setError(null);
    setTimeout(() => codeRef.current?.focus(), 0);
  }

  return (
    <AuthCard
      title={t`Two-step sign-in`}
      lead={
        recovery
          ? hasTotp
            ? t`Enter one of the recovery codes you saved when you set up two-step sign-in. Each works once.`
            : t`Use your passkey, or enter one of the recovery codes you saved. Each code works once.`
          : hasPasskey
            ? t`Use your passkey, or enter the 6-digit code your authenticator app shows for Hushlink.`
            : t`Open your authenticator app and enter the 6-digit code it shows for Hushlink.`
      }
    >
      {hasPasskey && (
        <div className="stack stack--tight">
          <BusyButton
            className="button button--secondary button--block"
            busy={busy}
            onClick={() => void withPasskey()}
          >
            <Trans>Use a passkey</Trans>
          </BusyButton>
          <p className="field__hint">
            {hasTotp ? (
              <Trans>Or enter a code below.</Trans>
            ) : (
              <Trans>Or enter a recovery code below.</Trans>
            )}
          </p>
        </div>
      )}
      <BusyForm busy={busy} onSubmit={submit}>
        <Field
          ref={codeRef}
          key={mode}
          label={recovery ? t`Recovery code` : t`Authentication code`}
          name={recovery ? "recovery-code" : "one-time-code"}
          autoComplete={recovery ? "off" : "one-time-code"}
          inputMode={recovery ? "text" : "numeric"}
          spellCheck={false}
          autoCapitalize="none"
          maxLength={recovery ? 40 : 7}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={fieldError}
          readOnly={busy}
          autoFocus={!hasPasskey}
        />
        {challenge.methods.includes("recovery_code") && hasTotp && (
          <p className="auth-aside">
            <button type="button" className="link-button" onClick={switchMode}>
              {recovery ? (
                <Trans>Use the authenticator app instead</Trans>
              ) : (
                <Trans>Use a recovery code instead</Trans>
              )}
            </button>
          </p>
        )}
        <AuthSubmit busy={busy} error={error} label={t`Sign in`} busyLabel={t`Checking…`} />
      </BusyForm>
    </AuthCard>
  );
}
