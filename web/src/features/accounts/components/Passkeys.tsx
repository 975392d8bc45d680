import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";

import type { Passkey } from "@hushlink/protocol";

import { Announcer } from "../../../components/Announcer";
import { FormSubmit } from "../../../components/FormSubmit";
import { KeyIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { DataTable } from "../../dashboard/components/DataTable";
import { dashboardError } from "../../dashboard/errors";
import { formatShortDate } from "../../dashboard/format";
import { accountsApi } from "../api";
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
        Passkeys
      </h3>
      <p className="field__hint">
        A passkey lives on this device, your phone or a security key, and is unlocked with your
        fingerprint, face or PIN. It signs you in without a password, or stands in for the code
        after it.
      </p>
      {error && <Notice tone="danger">{error}</Notice>}
      {passkeys && passkeys.length > 0 && (
        <DataTable
          caption="Your passkeys"
          columns={["Name", "Added", "Last used"]}
          testId="passkeys"
        >
          {passkeys.map((passkey) => (
            <tr key={passkey.id} className="data-table__row" data-passkey-name={passkey.name}>
              <th scope="row" className="data-table__name">
                <span className="token-name">
                  <KeyIcon />
                  <span>{passkey.name}</span>
                </span>
              </th>
              <td data-label="Added">
                <time dateTime={passkey.createdAt}>{formatShortDate(passkey.createdAt)}</time>
              </td>
              <td data-label="Last used">
                {passkey.lastUsedAt ? (
                  <time dateTime={passkey.lastUsedAt}>{formatShortDate(passkey.lastUsedAt)}</time>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td className="data-table__actions">
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setEditing({ ...passkey, kind: "rename" })}
                >
                  Rename<span className="visually-hidden"> {passkey.name}</span>
                </button>
                <button
                  type="button"
                  className="button button--danger-outline button--small"
                  onClick={() => setEditing({ ...passkey, kind: "remove" })}
                >
                  Remove<span className="visually-hidden"> {passkey.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {editing?.kind === "rename" && (
        <Rename
          key={editing.id}
          passkey={editing}
          onCancel={() => setEditing(null)}
          onDone={(name) => changed(`Passkey renamed to ${name}.`)}
        />
      )}
      {editing?.kind === "remove" && (
        <PasswordAction
          key={editing.id}
          email={email}
          label={`Remove the passkey ${editing.name}`}
          busyLabel="Removing…"
          hint="This passkey will no longer sign you in."
          danger
          startOpen
          onCancel={() => setEditing(null)}
          run={async (password) => {
            await accountsApi.removePasskey(editing.id, password);
            changed(`Passkey ${editing.name} removed.`);
          }}
        />
      )}
      {!editing && (
        <AddPasskey
          onAdded={(name, codes) => {
            changed(`Passkey ${name} added.`);
            if (codes) onRecoveryCodes(codes);
          }}
        />
      )}
      <Announcer message={announcement} />
    </div>
  );
}

function AddPasskey({ onAdded }: { onAdded: (name: string, codes: string[] | null) => void }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const typed = name.trim();
    if (!typed) {
      setFieldError("Give the passkey a name, such as the device it is on.");
      ref.current?.focus();
      return;
    }
    setFieldError(null);
    if (!passkeysSupported()) {
      setError("This browser or device does not support passkeys.");
      return;
    }
    setBusy(true);
    try {
      const options = await accountsApi.passkeyOptions();
      const credential = await createPasskey(options);
      const added = await accountsApi.addPasskey(typed, credential);
      setName("");
      onAdded(added.passkey.name, added.recoveryCodes);
    } catch (caught) {
      setError(
        passkeyBrowserError(caught, true) ??
          (isApiError(caught, "passkey_exists")
            ? "This passkey is added already."
            : dashboardError(caught)),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field-row">
        <Field
          ref={ref}
          label="Name of a new passkey"
          name="passkey-name"
          autoComplete="off"
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="Where it lives, so you can tell them apart: “Work laptop”, “Phone”."
          error={fieldError}
          readOnly={busy}
        />
      </div>
      <div className="form-actions">
        <FormSubmit
          busy={busy}
          error={error}
          label="Add a passkey"
          busyLabel="Waiting for your device…"
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
  const [name, setName] = useState(passkey.name);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const typed = name.trim();
    if (!typed) {
      setFieldError("Enter a name.");
      ref.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const renamed = await accountsApi.renamePasskey(passkey.id, typed);
      onDone(renamed.name);
    } catch (caught) {
      setBusy(false);
      setError(dashboardError(caught));
    }
  }

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field-row">
        <Field
          ref={ref}
          label={`New name for ${passkey.name}`}
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
        <FormSubmit busy={busy} error={error} label="Rename" busyLabel="Renaming…" />
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
