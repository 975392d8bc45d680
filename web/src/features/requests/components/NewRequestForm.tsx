import { useEffect, useId, useState, type FormEvent } from "react";

import { LinkIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import type { OrgMembership } from "../../../lib/session";
import { sharesApi, type PublicConfig } from "../../shares/api";
import { expiryChoices } from "../../shares/choices";
import { requestsApi, type Access } from "../api";

export interface CreatedRequest {
  id: string;
  url: string;
  expiresAt: string;
  name: string | null;
  access: Access;
}

/** Someone needs time to find the secret; a week fits most requests (the choices are shares'). */
const DEFAULT_EXPIRES_IN = 7 * 24 * 3600;

function errorMessage(error: unknown): string {
  if (isApiError(error, "rate_limited")) {
    return "Too many requests were created from your network. Wait a minute and try again.";
  }
  if (isApiError(error) && error.status === 401) {
    return "Your session ended. Sign in again, then create the request.";
  }
  if (isApiError(error)) return error.message;
  return "The request could not be created. Try again.";
}

/** SPEC F6: name (optional), expires in, and who may answer. */
export function NewRequestForm({
  org,
  onCreated,
}: {
  org: OrgMembership;
  onCreated: (request: CreatedRequest) => void;
}) {
  const ids = useId();
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [name, setName] = useState("");
  const [expiresIn, setExpiresIn] = useState(DEFAULT_EXPIRES_IN);
  const [access, setAccess] = useState<Access>("anyone");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    sharesApi
      .config()
      .then((answer) => {
        if (!cancelled) setConfig(answer);
      })
      .catch(() => {
        // The standard choices, then; the server still refuses what is over its limit.
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const choices = expiryChoices(config);
  // A server configured below a week: fall back to its longest choice.
  const selected = choices.some((c) => c.seconds === expiresIn)
    ? expiresIn
    : (choices[choices.length - 1]?.seconds ?? expiresIn);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const trimmed = name.trim();
    try {
      const created = await requestsApi.create({
        ...(trimmed ? { name: trimmed } : {}),
        expiresIn: selected,
        access,
        orgId: org.id,
      });
      onCreated({ ...created, name: trimmed || null, access });
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <form
      className="stack stack--tight"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-busy={busy}
    >
      <div className="field">
        <label className="field__label" htmlFor={`${ids}-name`}>
          What do you need? <span className="field__optional">(optional)</span>
        </label>
        <input
          id={`${ids}-name`}
          className="input"
          type="text"
          value={name}
          maxLength={200}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. Staging database password"
          autoComplete="off"
          aria-describedby={`${ids}-name-hint`}
          disabled={busy}
        />
        <p className="field__hint" id={`${ids}-name-hint`}>
          Shown on the request page, so the person you ask knows what to send.
        </p>
      </div>

      <div className="field-row">
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-expires`}>
            Expires in
          </label>
          <select
            id={`${ids}-expires`}
            className="input select"
            value={selected}
            onChange={(event) => setExpiresIn(Number(event.target.value))}
            disabled={busy}
          >
            {choices.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>

        <fieldset className="fieldset field">
          <legend className="field__label">Who can answer</legend>
          <div className="choice-list">
            <label className="choice">
              <input
                type="radio"
                name={`${ids}-access`}
                value="anyone"
                checked={access === "anyone"}
                onChange={() => setAccess("anyone")}
                disabled={busy}
              />
              <span>Anyone with the link</span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name={`${ids}-access`}
                value="organization"
                checked={access === "organization"}
                onChange={() => setAccess("organization")}
                disabled={busy}
              />
              <span>Only members of {org.name}</span>
            </label>
          </div>
        </fieldset>
      </div>

      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}

      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? <span className="spinner" aria-hidden="true" /> : <LinkIcon />}
          <span>{busy ? "Creating…" : "Create request link"}</span>
        </button>
      </div>
    </form>
  );
}
