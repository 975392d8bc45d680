import { useCallback, useEffect, useId, useState, type FormEvent } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import type { Passkey } from "@hushlink/protocol";

import { KeyNameCell, LastUsedCell } from "../../dashboard/components/KeyCells";
import { DateCell } from "../../dashboard/components/RowCells";
import { Announcer } from "../../../components/Announcer";
import { CancelButton } from "../../../components/CancelButton";
import { FormSubmit } from "../../../components/FormSubmit";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { useFormState } from "../../../lib/use-form-state";
import { DataTable } from "../../dashboard/components/DataTable";
import { dashboardError } from "../../dashboard/errors";
import { accountsApi } from "../api";
import { recentProofHint } from "../errors";
import { createPasskey, passkeyBrowserError, passkeysSupported } from "../passkeys";
import { Field } from "./Field";
import { PasswordAction } from "./PasswordAction";

type Editing = { id: string; name: string; kind: "rename" | "remove" } | null;

/**
 * The account's passkeys (F16) in the two-step sign-in section: each signs in without a password,
 * or stands in for the authenticator code. Add one with a name, rename, remove (the password
 * again). The first second factor comes with recovery codes, which the parent shows.
 */
export function Passkeys({
  email,
  onChanged,
  onRecoveryCodes,
}: {
  email: string;
  onChanged: () => void;
  onRecoveryCodes: (codes: string[]) => void;
}) {
  const ids = useId();
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [announcement, setAnnouncement] = useState("");
  const { t } = useLingui();
  const passkeyName = editing?.name ?? "";

  const load = useCallback(() => {
    accountsApi
      .passkeys()
      .then((list) => setPasskeys(list.passkeys))
      .catch((caught: unknown) => setError(dashboardError(caught)));
  }, []);
  useEffect(load, [load]);

  const changed = (message: string) => {
    setEditing(null);
    setAnnouncement(message);
    load();
    onChanged();
  };

  return (
    <div className="stack stack--tight" aria-labelledby={`${ids}-heading`} role="group">
      <h3 id={`${ids}-heading`} className="section-title">
        <Trans>Passkeys</Trans>
      </h3>
      <p className="field__hint">
        <Trans>
          A passkey lives on this device, your phone or a security key, and is unlocked with your
          fingerprint, face or PIN. It signs you in without a password, or stands in for the code
          after it.
        </Trans>
      </p>
      {error && <Notice tone="danger">{error}</Notice>}
      {passkeys && passkeys.length > 0 && (
        <DataTable
          caption={t`Your passkeys`}
          columns={[t`Name`, t`Added`, t`Last used`]}
          testId="passkeys"
        >
          {passkeys.map((passkey) => {
            const rowName = passkey.name;
            return (
              <tr key={passkey.id} className="data-table__row" data-passkey-name={passkey.name}>
                <KeyNameCell name={passkey.name} />
                <DateCell label={t`Added`} at={passkey.createdAt} />
                <LastUsedCell at={passkey.lastUsedAt} />
                <td className="data-table__actions">
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => setEditing({ ...passkey, kind: "rename" })}
                  >
                    <Trans>
                      Rename<span className="visually-hidden"> {rowName}</span>
                    </Trans>
                  </button>
                  <button
                    type="button"
                    className="button button--danger-outline button--small"
                    onClick={() => setEditing({ ...passkey, kind: "remove" })}
                  >
                    <Trans>
                      Remove<span className="visually-hidden"> {rowName}</span>
                    </Trans>
                  </button>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {editing?.kind === "rename" && (
        <Rename
          key={editing.id}
          passkey={editing}
          onCancel={() => setEditing(null)}
          onDone={(name) => changed(t`Passkey renamed to ${name}.`)}
        />
      )}
      {editing?.kind === "remove" && (
        <PasswordAction
          key={editing.id}
          email={email}
          label={t`Remove the passkey ${passkeyName}`}
          fieldLabel={t`Your password, to remove the passkey ${passkeyName}`}
          busyLabel={t`Removing…`}
          hint={t`This passkey will no longer sign you in.`}
          danger
          startOpen
          onCancel={() => setEditing(null)}
          run={async (password) => {
            await accountsApi.removePasskey(editing.id, password);
            changed(t`Passkey ${passkeyName} removed.`);
          }}
        />
      )}
      {!editing && (
        <AddPasskey
          email={email}
          onAdded={(name, codes) => {
            changed(t`Passkey ${name} added.`);
            if (codes) onRecoveryCodes(codes);
          }}
        />
      )}
      <Announcer message={announcement} />
    </div>
  );
}

function AddPasskey({
  email,
  onAdded,
}: {
  email: string;
  onAdded: (name: string, codes: string[] | null) => void;
}) {
  const { t } = useLingui();
  const [name, setName] = useState("");
  /** The session signed in too long ago to add a factor alone: the password first. */
  const [proving, setProving] = useState(false);
  const form = useFormState(dashboardError);
  const { busy, error, fieldError, fieldRef: ref } = form;

  /** Asks the server for options, the device for a passkey, and adds it under `typed`. */
  async function add(typed: string, password?: string) {
    const options = await accountsApi.passkeyOptions(password);
    const credential = await createPasskey(options);
    const added = await accountsApi.addPasskey(typed, credential);
    setName("");
    setProving(false);
    onAdded(added.passkey.name, added.recoveryCodes);
  }

  const describe = (caught: unknown) =>
    passkeyBrowserError(caught, true) ??
    (isApiError(caught, "passkey_exists")
      ? t`This passkey is added already.`
      : dashboardError(caught));

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!form.start(event)) return;
    const typed = name.trim();
    if (!typed) return form.invalid(t`Give the passkey a name, such as the device it is on.`);
    if (!passkeysSupported())
      return form.setError(t`This browser or device does not support passkeys.`);
    await form.run(() => add(typed), {
      failure: (caught) => {
        if (!isApiError(caught, "recent_sign_in_required")) return describe(caught);
        setProving(true);
        return null;
      },
    });
  }

  if (proving)
    return (
      <PasswordAction
        email={email}
        label={t`Add a passkey`}
        fieldLabel={t`Your password, to add a passkey`}
        busyLabel={t`Waiting for your device…`}
        hint={recentProofHint()}
        startOpen
        onCancel={() => setProving(false)}
        describe={describe}
        run={(password) => add(name.trim(), password)}
      />
    );

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field-row">
        <Field
          ref={ref}
          label={t`Name of a new passkey`}
          name="passkey-name"
          autoComplete="off"
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={t`Where it lives, so you can tell them apart: “Work laptop”, “Phone”.`}
          error={fieldError}
          readOnly={busy}
        />
      </div>
      <div className="form-actions">
        <FormSubmit
          busy={busy}
          error={error}
          label={t`Add a passkey`}
          busyLabel={t`Waiting for your device…`}
        />
      </div>
    </form>
  );
}

function Rename({
  passkey,
  onCancel,
  onDone,
}: {
  passkey: { id: string; name: string };
  onCancel: () => void;
  onDone: (name: string) => void;
}) {
  const { t } = useLingui();
  const [name, setName] = useState(passkey.name);
  const current = passkey.name;
  const {
    busy,
    error,
    fieldError,
    start,
    invalid,
    run,
    fieldRef: ref,
  } = useFormState(dashboardError);
  useEffect(() => ref.current?.focus(), [ref]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    const typed = name.trim();
    if (!typed) return invalid(t`Enter a name.`);
    await run(
      async () => {
        const renamed = await accountsApi.renamePasskey(passkey.id, typed);
        onDone(renamed.name);
      },
      { leaving: true },
    );
  }

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field-row">
        <Field
          ref={ref}
          label={t`New name for ${current}`}
          name="passkey-new-name"
          autoComplete="off"
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError}
          readOnly={busy}
        />
      </div>
      <div className="form-actions">
        <FormSubmit busy={busy} error={error} label={t`Rename`} busyLabel={t`Renaming…`} />
        <CancelButton onCancel={onCancel} />
      </div>
    </form>
  );
}
