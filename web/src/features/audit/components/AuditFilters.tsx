import { useId } from "react";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import type { AuditEventType, Member } from "@hushlink/protocol";

import { i18n } from "../../../i18n/i18n";
import type { AuditFilter } from "../api";
import { FilterField, FilterSelect } from "../../dashboard/components/FilterField";
import { EVENT_GROUPS, EVENT_LABEL } from "../event-types";

/** The filter as the controls hold it: "" for any, dates as the date inputs give them. */
export interface AuditFilterForm {
  type: "" | AuditEventType;
  actor: string;
  /** YYYY-MM-DD, the first day shown (from its start, in the reader's time zone). */
  from: string;
  /** YYYY-MM-DD, the last day shown (to its end). */
  to: string;
}

export const EMPTY_FORM: AuditFilterForm = { type: "", actor: "", from: "", to: "" };

/** Local midnight at the start of `day` (+ `plusDays`), as ISO; null for no date. */
function dayStart(day: string, plusDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The API's filter for the form, or why the dates do not make a range. */
export function filterOf(form: AuditFilterForm): { filter: AuditFilter } | { error: string } {
  const since = dayStart(form.from);
  const until = dayStart(form.to, 1);
  if (since && until && until <= since)
    return { error: i18n._(msg`The “To” date is before the “From” date. Pick a later one.`) };
  return { filter: { type: form.type || null, actor: form.actor || null, since, until } };
}

/**
 * Event type, actor and a range of days above the Audit tab's table. Each applies as soon as it
 * changes (the server filters, so paging stays right however many entries there are).
 */
export function AuditFilters({
  value,
  onChange,
  members,
  error,
}: {
  value: AuditFilterForm;
  onChange: (value: AuditFilterForm) => void;
  members: Member[];
  error: string | null;
}) {
  const { t } = useLingui();
  const ids = useId();
  const filtered = value.type !== "" || value.actor !== "" || value.from !== "" || value.to !== "";
  return (
    <div className="stack stack--tight">
      <div className="audit-filters">
        <div className="audit-filters__fields">
          <FilterSelect
            label={t`Event`}
            className="audit-filters__wide"
            value={value.type}
            onChange={(type) => onChange({ ...value, type: type as AuditEventType | "" })}
            anyLabel={t`All events`}
          >
            {EVENT_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.types.map((type) => (
                  <option key={type} value={type}>
                    {EVENT_LABEL[type]}
                  </option>
                ))}
              </optgroup>
            ))}
          </FilterSelect>
          <FilterSelect
            label={t`Done by`}
            className="audit-filters__wide"
            value={value.actor}
            onChange={(actor) => onChange({ ...value, actor })}
            anyLabel={t`Anyone`}
          >
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name ? `${m.name} (${m.email})` : m.email}
              </option>
            ))}
          </FilterSelect>
          <DayField
            label={t`From`}
            value={value.from}
            max={value.to}
            errorId={error ? `${ids}-error` : null}
            onChange={(from) => onChange({ ...value, from })}
          />
          <DayField
            label={t`To`}
            value={value.to}
            min={value.from}
            errorId={error ? `${ids}-error` : null}
            onChange={(to) => onChange({ ...value, to })}
          />
        </div>
        <div className="audit-filters__actions">
          {filtered && (
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => onChange(EMPTY_FORM)}
            >
              <Trans>Clear filters</Trans>
            </button>
          )}
        </div>
      </div>
      {error && (
        <p id={`${ids}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A day of the range; `min`/`max` keep it on its side of the other day, "" for no bound. */
function DayField({
  label,
  value,
  min,
  max,
  errorId,
  onChange,
}: {
  label: string;
  value: string;
  min?: string;
  max?: string;
  /** The range's error message, while there is one. */
  errorId: string | null;
  onChange: (value: string) => void;
}) {
  return (
    <FilterField label={label}>
      <input
        className="input input--compact"
        type="date"
        value={value}
        min={min || undefined}
        max={max || undefined}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId ?? undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </FilterField>
  );
}
