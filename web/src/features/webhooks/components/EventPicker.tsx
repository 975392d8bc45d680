import { useId } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import type { AuditEventType } from "@hushlink/protocol";

import { CheckField } from "../../../components/CheckField";
import { unlessBusy } from "../../../lib/busy";
import { EVENT_GROUPS, EVENT_LABEL } from "../../audit/event-types";

export const ALL_EVENTS: AuditEventType[] = EVENT_GROUPS.flatMap((group) => group.types);

/** Which audit events an endpoint receives: a box per type, grouped, with all/none per group. */
export function EventPicker({
  value,
  onChange,
  error,
  busy,
}: {
  value: AuditEventType[];
  onChange: (value: AuditEventType[]) => void;
  error: string | null;
  /** The form is busy: every box and button stays focusable and ignores a change (unlessBusy). */
  busy: boolean;
}) {
  const { t } = useLingui();
  const ids = useId();
  const chosen = new Set(value);
  // Kept in the protocol's order, so an edit that changes nothing sends the same list.
  const set = (next: Set<AuditEventType>) => onChange(ALL_EVENTS.filter((t) => next.has(t)));

  function toggle(types: AuditEventType[], on: boolean) {
    const next = new Set(chosen);
    for (const type of types) {
      if (on) next.add(type);
      else next.delete(type);
    }
    set(next);
  }

  const chosenCount = value.length;
  const allCount = ALL_EVENTS.length;
  return (
    <fieldset
      className="fieldset field event-picker"
      aria-describedby={error ? `${ids}-error` : `${ids}-hint`}
    >
      <legend className="field__label">
        <Trans>Events</Trans>
      </legend>
      <div className="event-picker__bar">
        <p id={`${ids}-hint`} className="field__hint">
          {value.length === ALL_EVENTS.length
            ? t`Every event is sent.`
            : t`${chosenCount} of ${allCount} events are sent.`}
        </p>
        <span className="event-picker__all">
          <button
            type="button"
            className="button button--ghost button--small"
            aria-disabled={busy || undefined}
            onClick={unlessBusy(busy, () => toggle(ALL_EVENTS, true))}
          >
            <Trans>Select all</Trans>
          </button>
          <button
            type="button"
            className="button button--ghost button--small"
            aria-disabled={busy || undefined}
            onClick={unlessBusy(busy, () => toggle(ALL_EVENTS, false))}
          >
            <Trans>Clear</Trans>
          </button>
        </span>
      </div>
      <div className="event-picker__groups">
        {EVENT_GROUPS.map((group) => {
          const all = group.types.every((type) => chosen.has(type));
          const groupLabel = group.label;
          return (
            <fieldset key={group.label} className="event-picker__group">
              <legend className="event-picker__legend">
                <span>{group.label}</span>
              </legend>
              <CheckField
                id={`${ids}-${group.label}`}
                label={
                  <Trans>
                    All<span className="visually-hidden"> of {groupLabel}</span>
                  </Trans>
                }
                checked={all}
                onChange={(checked) => toggle(group.types, checked)}
                busy={busy}
              />
              {group.types.map((type) => (
                <CheckField
                  key={type}
                  className="event-picker__type"
                  id={`${ids}-${type}`}
                  value={type}
                  label={EVENT_LABEL[type]}
                  checked={chosen.has(type)}
                  onChange={(checked) => toggle([type], checked)}
                  busy={busy}
                />
              ))}
            </fieldset>
          );
        })}
      </div>
      {error && (
        <p id={`${ids}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
