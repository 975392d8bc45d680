import type { ReactNode } from "react";

import { unlessBusy } from "../lib/busy";

/** A labelled pick of one of the signed-in person's organizations, by id. */
export function OrgSelect({
  id,
  label,
  orgs,
  value,
  onChange,
  className,
  busy = false,
}: {
  id: string;
  label: ReactNode;
  orgs: readonly { id: string; name: string }[];
  value: string;
  onChange: (orgId: string) => void;
  /** More classes on the field, after `field`. */
  className?: string;
  /** Its form is busy: focusable, aria-disabled, and a change is ignored (unlessBusy). */
  busy?: boolean;
}) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="input select"
        value={value}
        aria-disabled={busy || undefined}
        onChange={unlessBusy(busy, (event) => onChange(event.target.value))}
      >
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
