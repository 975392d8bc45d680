import { useRef, useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import type { Role } from "../../../lib/session";

/**
 * An admin's control for one member's role. Picking another role does not apply it: the row
 * asks first, beside the list (issue 25, defect 9), because demoting an admin takes their
 * rights away at once. `lockedReason` disables the control and says why beside it (the only
 * admin cannot be demoted).
 */
export function MemberRole({
  id,
  who,
  role,
  busy,
  lockedReason,
  onChange,
}: {
  id: string;
  who: string;
  role: Role;
  busy: boolean;
  lockedReason: string | null;
  onChange: (role: Role) => void;
}) {
  const { t } = useLingui();
  const [pending, setPending] = useState<Role | null>(null);
  const shown = pending ?? role;
  const selectRef = useRef<HTMLSelectElement>(null);

  return (
    <div className="member-role">
      <label className="visually-hidden" htmlFor={id}>
        <Trans>Role of {who}</Trans>
      </label>
      {/* Busy, the list is aria-disabled rather than disabled: it has the focus once Change role
          is pressed (that question goes away), and a disabled control drops it to <body>. A pick
          while busy is ignored (the list shows the role it had). */}
      <select
        ref={selectRef}
        id={id}
        className="input select input--compact"
        value={shown}
        disabled={lockedReason !== null}
        aria-disabled={busy || undefined}
        aria-describedby={lockedReason ? `${id}-locked` : undefined}
        onChange={(event) => {
          if (busy) return;
          const next = event.target.value as Role;
          setPending(next === role ? null : next);
        }}
      >
        <option value="member">{t`Member`}</option>
        <option value="admin">{t`Admin`}</option>
      </select>
      {lockedReason && (
        <span id={`${id}-locked`} className="member-role__note">
          {lockedReason}
        </span>
      )}
      {pending && (
        <span
          className="member-role__confirm"
          role="group"
          aria-label={t`Change the role of ${who}`}
        >
          <span className="member-role__question">
            {pending === "admin" ? (
              <Trans>Make {who} an admin?</Trans>
            ) : (
              <Trans>Make {who} a member?</Trans>
            )}
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => {
              setPending(null);
              selectRef.current?.focus();
            }}
          >
            {role === "admin" ? <Trans>Keep admin</Trans> : <Trans>Keep member</Trans>}
          </button>
          <button
            type="button"
            className="button button--primary button--small"
            aria-disabled={busy || undefined}
            onClick={() => {
              if (busy) return;
              setPending(null);
              // This button goes with the question: the focus goes back to the list.
              selectRef.current?.focus();
              onChange(pending);
            }}
          >
            <Trans>Change role</Trans>
          </button>
        </span>
      )}
    </div>
  );
}
