import { Trans } from "@lingui/react/macro";
import { useState, type Ref } from "react";

import { unlessBusy } from "../../../lib/busy";
import { formatDate, formatDuration, viewsLabel } from "../../../lib/format";
import type { PublicConfig } from "../api";
import { expiryChoices, viewChoices } from "../choices";
import { CUSTOM, defaultCustomExpiry, toLocalInput, UNLIMITED, type LimitsValue } from "../limits";

export interface LimitsErrors {
  expiresAt?: string | null;
  customViews?: string | null;
}

/**
 * "Expires in" and "Max views" with their presets, and beside them a custom date and time and a
 * custom number of views, each bounded by what the server allows (SPEC F1: the API takes any
 * whole number of seconds and 1–1000 views).
 */
export function LimitsFields({
  id,
  config,
  value,
  onChange,
  errors,
  busy,
  expiresAtRef,
  customViewsRef,
  unlimitedViews = true,
}: {
  id: string;
  config: PublicConfig;
  value: LimitsValue;
  onChange: (value: LimitsValue) => void;
  errors: LimitsErrors;
  /** The form is busy: the dates and numbers readOnly, the selects ignore changes (unlessBusy). */
  busy: boolean;
  expiresAtRef?: Ref<HTMLInputElement>;
  customViewsRef?: Ref<HTMLInputElement>;
  /** False where the organization's sharing policy caps views (F16). */
  unlimitedViews?: boolean;
}) {
  // The bounds shown are those of when the form opened or the custom choice was made; the
  // submit checks against the time of sending.
  const [now, setNow] = useState(() => Date.now());
  const latest = new Date(now + config.maxExpiresIn * 1000);
  const latestDate = formatDate(latest.toISOString());
  const maxViews = config.maxViews;
  return (
    <div className="field-row">
      <div className="stack stack--tight">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-expires`}>
            <Trans>Expires in</Trans>
          </label>
          <select
            id={`${id}-expires`}
            className="input select"
            value={value.expiry}
            onChange={(event) => {
              // Busy: ignored, as unlessBusy does (written out: it reads the clock).
              if (busy) return;
              const picked = event.target.value;
              if (picked === CUSTOM) {
                const at = Date.now();
                setNow(at);
                onChange({
                  ...value,
                  expiry: CUSTOM,
                  expiresAt: value.expiresAt || defaultCustomExpiry(at, config.maxExpiresIn),
                });
              } else onChange({ ...value, expiry: Number(picked) });
            }}
            aria-disabled={busy || undefined}
          >
            {expiryChoices(config).map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {formatDuration(choice.seconds)}
              </option>
            ))}
            <option value={CUSTOM}>
              <Trans>Pick a date and time…</Trans>
            </option>
          </select>
        </div>
        {value.expiry === CUSTOM && (
          <div className="field">
            <label className="field__label" htmlFor={`${id}-expires-at`}>
              <Trans>Expires on</Trans>
            </label>
            <input
              ref={expiresAtRef}
              id={`${id}-expires-at`}
              className="input"
              type="datetime-local"
              value={value.expiresAt}
              min={toLocalInput(new Date(now + 120_000))}
              max={toLocalInput(latest)}
              onChange={(event) => onChange({ ...value, expiresAt: event.target.value })}
              aria-invalid={Boolean(errors.expiresAt)}
              aria-describedby={`${id}-expires-at-hint${errors.expiresAt ? ` ${id}-expires-at-error` : ""}`}
              readOnly={busy}
            />
            <p className="field__hint" id={`${id}-expires-at-hint`}>
              <Trans>Your time zone; at the latest {latestDate}.</Trans>
            </p>
            {errors.expiresAt && (
              <p className="field__error" id={`${id}-expires-at-error`} role="alert">
                {errors.expiresAt}
              </p>
            )}
          </div>
        )}
      </div>

      <div className="stack stack--tight">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-views`}>
            <Trans>Max views</Trans>
          </label>
          <select
            id={`${id}-views`}
            className="input select"
            value={value.views}
            onChange={unlessBusy(busy, (event) =>
              onChange({ ...value, views: event.target.value }),
            )}
            aria-disabled={busy || undefined}
          >
            {viewChoices(config, unlimitedViews).map((views) => (
              <option key={views ?? UNLIMITED} value={views ?? UNLIMITED}>
                {views === null ? <Trans>Unlimited until it expires</Trans> : viewsLabel(views)}
              </option>
            ))}
            <option value={CUSTOM}>
              <Trans>Another number…</Trans>
            </option>
          </select>
        </div>
        {value.views === CUSTOM && (
          <div className="field">
            <label className="field__label" htmlFor={`${id}-custom-views`}>
              <Trans>Number of views</Trans>
            </label>
            <input
              ref={customViewsRef}
              id={`${id}-custom-views`}
              className="input"
              type="number"
              inputMode="numeric"
              min={1}
              max={config.maxViews}
              step={1}
              value={value.customViews}
              onChange={(event) => onChange({ ...value, customViews: event.target.value })}
              aria-invalid={Boolean(errors.customViews)}
              aria-describedby={`${id}-custom-views-hint${errors.customViews ? ` ${id}-custom-views-error` : ""}`}
              readOnly={busy}
            />
            <p className="field__hint" id={`${id}-custom-views-hint`}>
              <Trans>1 to {maxViews}.</Trans>
            </p>
            {errors.customViews && (
              <p className="field__error" id={`${id}-custom-views-error`} role="alert">
                {errors.customViews}
              </p>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
