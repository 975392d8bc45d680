import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useState, type FormEvent } from "react";

import type { ApiTokenScope, CreateApiTokenResponse } from "@hushlink/protocol";

import { KeyIcon } from "../../../components/icons";
import { isApiError } from "../../../lib/api";
import { unlessBusy } from "../../../lib/busy";
import { useFormState } from "../../../lib/use-form-state";
import { PasswordAction } from "../../accounts/components/PasswordAction";
import { dashboardApi } from "../api";
import { dashboardError } from "../errors";
import { DEFAULT_LIFETIME, LIFETIMES, SCOPE_HINT, SCOPE_LABEL, SCOPES } from "../token-scopes";

/**
 * Name, scope and lifetime of a new API token (issue 25). A token outlives the session, so one
 * signed in a while ago proves the password first (SPEC F8, extension), asked for in place.
 */
export function CreateTokenForm({
  email,
  onCreated,
}: {
  /** The account's address, beside the password field for password managers. */
  email: string;
  onCreated: (name: string, created: CreateApiTokenResponse) => void;
}) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiTokenScope>("full");
  const [lifetime, setLifetime] = useState(DEFAULT_LIFETIME);
  // A missing name is the form's error, not a field's: it shows under the row like the server's.
  const { busy, error, start, run, setError, fieldRef: nameRef } = useFormState(dashboardError);
  // The session signed in too long ago to create a token alone: the password, in place.
  const [proving, setProving] = useState(false);

  async function create(password?: string) {
    const trimmed = name.trim();
    const expiresIn = LIFETIMES.find((l) => l.value === lifetime)?.seconds ?? null;
    const body = { name: trimmed, scope, expiresIn, ...(password ? { password } : {}) };
    onCreated(trimmed, await dashboardApi.createToken(body));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t`Give the token a name, e.g. where it is used.`);
      nameRef.current?.focus();
      return;
    }
    await run(() => create(), {
      leaving: true,
      failure: (caught) => {
        if (!isApiError(caught, "recent_sign_in_required")) return dashboardError(caught);
        setProving(true);
        return null;
      },
    });
  }

  const scopeLabel = i18n._(SCOPE_LABEL[scope]);
  const scopeHint = i18n._(SCOPE_HINT[scope]);

  if (proving)
    return (
      <PasswordAction
        email={email}
        label={t`Create token`}
        fieldLabel={t`Your password, to create an API token`}
        busyLabel={t`Creating…`}
        hint={t`You signed in a while ago, so confirm it is you before creating an API token. If you sign in through single sign-on, sign out and sign in again instead.`}
        startOpen
        onCancel={() => setProving(false)}
        run={(password) => create(password)}
      />
    );

  return (
    <form className="token-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <div className="field token-form__name">
        <label className="field__label" htmlFor={`${ids}-name`}>
          <Trans>Token name</Trans>
        </label>
        <input
          ref={nameRef}
          id={`${ids}-name`}
          className="input"
          type="text"
          maxLength={100}
          autoComplete="off"
          placeholder={t`e.g. CI deploy job`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
          readOnly={busy}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${ids}-scope`}>
          <Trans>Scope</Trans>
        </label>
        <select
          id={`${ids}-scope`}
          className="input select"
          value={scope}
          onChange={unlessBusy(busy, (e) => setScope(e.target.value as ApiTokenScope))}
          aria-describedby={`${ids}-scope-hint`}
          aria-disabled={busy || undefined}
        >
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {i18n._(SCOPE_LABEL[s])}
            </option>
          ))}
        </select>
      </div>
      <div className="field token-form__after-hint">
        <label className="field__label" htmlFor={`${ids}-expires`}>
          <Trans>Expires after</Trans>
        </label>
        <select
          id={`${ids}-expires`}
          className="input select"
          value={lifetime}
          onChange={unlessBusy(busy, (e) => setLifetime(e.target.value))}
          aria-disabled={busy || undefined}
        >
          {LIFETIMES.map((l) => (
            <option key={l.value} value={l.value}>
              {i18n._(l.label)}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        className="button button--primary token-form__after-hint"
        // aria-disabled while creating, not disabled, which drops the focus to <body>; start()
        // ignores a press meanwhile.
        aria-disabled={busy || undefined}
      >
        {busy ? <span className="spinner" aria-hidden="true" /> : <KeyIcon />}
        <span>{busy ? <Trans>Creating…</Trans> : <Trans>Create token</Trans>}</span>
      </button>
      <p id={`${ids}-scope-hint`} className="field__hint token-form__hint">
        {t`${scopeLabel}: ${scopeHint}`}
      </p>
      {error && (
        <p
          id={`${ids}-error`}
          className="field__error token-form__hint token-form__after-hint"
          role="alert"
        >
          {error}
        </p>
      )}
    </form>
  );
}
