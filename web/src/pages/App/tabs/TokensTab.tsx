import { useId, useRef, useState, type FormEvent } from "react";

import { Announcer } from "../../../components/Announcer";
import { CopyField } from "../../../components/CopyField";
import { KeyIcon, TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { dashboardApi, type ApiToken } from "../../../features/dashboard/api";
import { ConfirmDialog } from "../../../features/dashboard/components/ConfirmDialog";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { dashboardError } from "../../../features/dashboard/errors";
import { formatShortDate } from "../../../features/dashboard/format";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import { onePage, usePagedList } from "../../../features/dashboard/use-paged-list";
import { isApiError } from "../../../lib/api";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import type { TabProps } from "./tab-props";

const fetchTokens = () => onePage(dashboardApi.tokens());

/** SPEC F8: personal API tokens for the CLI and automation; the value is shown once. */
export function TokensTab(_props: TabProps) {
  const ids = useId();
  const tokens = usePagedList(fetchTokens);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const revoking = useConfirm<ApiToken>();
  const listRef = useRef<HTMLElement>(null);

  async function revoke(token: ApiToken) {
    const refocus = refocusAfter(listRef.current, `[data-token-id="${CSS.escape(token.id)}"]`);
    try {
      await dashboardApi.revokeToken(token.id);
    } catch (caught) {
      // Revoked already (in another tab): what was asked for is done.
      if (!isApiError(caught, "token_not_found")) throw caught;
    }
    setAnnouncement(`The token “${token.name}” was revoked.`);
    await tokens.reload();
    return refocus;
  }

  return (
    <div className="stack">
      <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <TabIntro headingId={`${ids}-heading`} title="API tokens">
          For the <code>hushlink</code> command and scripts: send one as{" "}
          <code>Authorization: Bearer …</code>. A token acts as you, in all your organizations.
        </TabIntro>

        {created ? (
          <CreatedToken name={created.name} token={created.token} onDone={() => setCreated(null)} />
        ) : (
          <CreateTokenForm
            onCreated={(name, token) => {
              setCreated({ name, token });
              void tokens.reload();
            }}
          />
        )}
      </section>

      <section ref={listRef} className="stack stack--tight" aria-labelledby={`${ids}-list-heading`}>
        {/* Takes focus when the last token was revoked (refocus.ts). */}
        <h2 id={`${ids}-list-heading`} className="section-title" tabIndex={-1}>
          Your tokens
        </h2>
        <PagedTable
          paged={tokens}
          loadingLabel="Loading your tokens…"
          smallLoading
          empty={<p className="muted">You have no API tokens.</p>}
          caption="Your API tokens"
          columns={["Name", "Created", "Last used"]}
          renderRow={(token) => (
            <tr
              key={token.id}
              className="data-table__row"
              data-token-id={token.id}
              data-token-name={token.name}
            >
              <th scope="row" className="data-table__name">
                <span className="token-name">
                  <KeyIcon />
                  <span>{token.name}</span>
                </span>
              </th>
              <td data-label="Created">
                <time dateTime={token.createdAt}>{formatShortDate(token.createdAt)}</time>
              </td>
              <td data-label="Last used">
                {token.lastUsedAt ? (
                  <time dateTime={token.lastUsedAt}>{formatShortDate(token.lastUsedAt)}</time>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              <td className="data-table__actions">
                <button
                  type="button"
                  className="button button--danger-outline button--small"
                  onClick={() => revoking.ask(token)}
                >
                  <TrashIcon />
                  <span>
                    Revoke<span className="visually-hidden"> {token.name}</span>
                  </span>
                </button>
              </td>
            </tr>
          )}
        />
      </section>

      <Announcer message={announcement} />

      <ConfirmDialog
        {...revoking.dialog}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        busyLabel="Revoking…"
        onConfirm={() => void revoking.run(revoke)}
      >
        <p>
          Scripts and commands that use “{revoking.target?.name ?? ""}” stop working at once. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (name: string, token: string) => void }) {
  const ids = useId();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setError("Give the token a name, e.g. where it is used.");
      nameRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const created = await dashboardApi.createToken(trimmed);
      onCreated(trimmed, created.token);
    } catch (caught) {
      setError(dashboardError(caught));
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <div className="field inline-form__grow">
        <label className="field__label" htmlFor={`${ids}-name`}>
          Token name
        </label>
        <input
          ref={nameRef}
          id={`${ids}-name`}
          className="input"
          type="text"
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. CI deploy job"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
          readOnly={busy}
        />
        {error && (
          <p id={`${ids}-error`} className="field__error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? <span className="spinner" aria-hidden="true" /> : <KeyIcon />}
        <span>{busy ? "Creating…" : "Create token"}</span>
      </button>
    </form>
  );
}

function CreatedToken({
  name,
  token,
  onDone,
}: {
  name: string;
  token: string;
  onDone: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className="panel stack stack--tight created-token">
      <h3 className="section-title" ref={heading} tabIndex={-1}>
        Token “{name}” created
      </h3>
      <Notice tone="warning">
        Copy it now: it is shown only this once. Store it like a password; anyone who has it acts as
        you.
      </Notice>
      <CopyField label="Your new API token" value={token} copyLabel="Copy API token" />
      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onDone}>
          Done, I copied it
        </button>
      </div>
    </div>
  );
}
