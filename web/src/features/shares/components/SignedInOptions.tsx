import { useId } from "react";

import type { Me } from "../../../lib/session";

/** What a signed-in creator adds to a share (SPEC F1, F3, F5). */
export interface SignedInChoices {
  access: "anyone" | "organization";
  notifyOnView: boolean;
  /** The organization the share belongs to (the dashboard's, unless picked here). */
  orgId: string | null;
}

/**
 * The options of F1/F3 that need an account: organization-only access and an e-mail at each
 * view, and the organization when the creator belongs to several. Anonymous creators have none,
 * so it renders nothing for them. E-mail recipients (F3) will join this fieldset.
 */
export function SignedInOptions({
  me,
  value,
  onChange,
  disabled = false,
}: {
  me: Me | null;
  value: SignedInChoices;
  onChange: (value: SignedInChoices) => void;
  disabled?: boolean;
}) {
  const ids = useId();
  if (!me) return null;
  const org = me.orgs.find((o) => o.id === value.orgId) ?? me.orgs[0] ?? null;

  return (
    <fieldset className="options" disabled={disabled}>
      <legend className="options__legend">Access and notifications</legend>

      {org && me.orgs.length > 1 && (
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-org`}>
            Organization
          </label>
          <select
            id={`${ids}-org`}
            className="input select"
            value={org.id}
            onChange={(event) => onChange({ ...value, orgId: event.target.value })}
          >
            {me.orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )}

      {org && (
        <div className="check">
          <input
            id={`${ids}-org-only`}
            className="check__input"
            type="checkbox"
            checked={value.access === "organization"}
            onChange={(event) =>
              onChange({ ...value, access: event.target.checked ? "organization" : "anyone" })
            }
            aria-describedby={`${ids}-org-only-hint`}
          />
          <label className="check__label" htmlFor={`${ids}-org-only`}>
            Limit access to people within organization
          </label>
          <p className="check__hint" id={`${ids}-org-only-hint`}>
            Only members of {org.name} can open the link, after signing in.
          </p>
        </div>
      )}

      <div className="check">
        <input
          id={`${ids}-notify`}
          className="check__input"
          type="checkbox"
          checked={value.notifyOnView}
          onChange={(event) => onChange({ ...value, notifyOnView: event.target.checked })}
          aria-describedby={`${ids}-notify-hint`}
        />
        <label className="check__label" htmlFor={`${ids}-notify`}>
          E-mail me when it is viewed
        </label>
        <p className="check__hint" id={`${ids}-notify-hint`}>
          A message to {me.user.email} each time someone reveals it.
        </p>
      </div>
    </fieldset>
  );
}
