import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useState } from "react";

import { CheckField } from "../../../components/CheckField";
import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { KeyIcon } from "../../../components/icons";
import { unlessBusy } from "../../../lib/busy";
import { useCopy } from "../../../lib/use-copy";
import {
  DEFAULT_LENGTH,
  entropyBits,
  generatePassword,
  MAX_LENGTH,
  MIN_LENGTH,
  type CharacterSet,
} from "../generate-password";

const SET_LABELS: Record<CharacterSet, MessageDescriptor> = {
  lower: msg`Lower case (a–z)`,
  upper: msg`Upper case (A–Z)`,
  digits: msg`Digits (0–9)`,
  symbols: msg`Symbols (!#$…)`,
};

const ALL_SETS = Object.keys(SET_LABELS) as CharacterSet[];

function clampLength(value: number): number {
  if (!Number.isFinite(value)) return DEFAULT_LENGTH;
  return Math.min(MAX_LENGTH, Math.max(MIN_LENGTH, Math.round(value)));
}

/**
 * A password generator beside the secret: pick a length and character sets, then copy the result
 * or put it in the secret field. Everything happens in the page, with crypto.getRandomValues.
 */
export function PasswordGenerator({
  onUse,
  busy,
}: {
  onUse: (password: string) => void;
  /** The share form is busy: its secret takes no generated password (unlessBusy). */
  busy: boolean;
}) {
  const ids = useId();
  const { t, i18n } = useLingui();
  const [open, setOpen] = useState(false);
  const [length, setLength] = useState(DEFAULT_LENGTH);
  const [lengthText, setLengthText] = useState(String(DEFAULT_LENGTH));
  const [sets, setSets] = useState<CharacterSet[]>(ALL_SETS);
  const [password, setPassword] = useState("");
  const { state, copy } = useCopy();

  function regenerate(nextLength = length, nextSets = sets) {
    setPassword(nextSets.length > 0 ? generatePassword(nextLength, nextSets) : "");
  }

  function toggleOpen() {
    if (!open && !password) regenerate();
    setOpen(!open);
  }

  function toggleSet(set: CharacterSet, on: boolean) {
    const next = on
      ? ALL_SETS.filter((s) => s === set || sets.includes(s))
      : sets.filter((s) => s !== set);
    setSets(next);
    regenerate(length, next);
  }

  function changeLength(text: string) {
    setLengthText(text);
    const parsed = Number(text);
    if (text !== "" && Number.isInteger(parsed) && parsed >= MIN_LENGTH && parsed <= MAX_LENGTH) {
      setLength(parsed);
      regenerate(parsed);
    }
  }

  const lengthInvalid = clampLength(Number(lengthText)) !== Number(lengthText);
  const min = MIN_LENGTH;
  const max = MAX_LENGTH;
  const bits = entropyBits(length, sets);

  return (
    <div className="generator">
      <button
        type="button"
        className="button button--ghost button--small generator__toggle"
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        onClick={unlessBusy(busy, toggleOpen)}
        aria-disabled={busy || undefined}
      >
        <KeyIcon />
        <span>
          {open ? <Trans>Close the password generator</Trans> : <Trans>Generate a password</Trans>}
        </span>
      </button>
      <div id={`${ids}-panel`} className="generator__panel panel stack stack--tight" hidden={!open}>
        <div className="generator__row">
          <div className="field generator__length">
            <label className="field__label" htmlFor={`${ids}-length`}>
              <Trans>Length</Trans>
            </label>
            <input
              id={`${ids}-length`}
              className="input"
              type="number"
              inputMode="numeric"
              min={MIN_LENGTH}
              max={MAX_LENGTH}
              value={lengthText}
              onChange={(event) => changeLength(event.target.value)}
              // Enter here means "this length", not "create the share" of the enclosing form.
              onKeyDown={(event) => {
                if (event.key === "Enter") event.preventDefault();
              }}
              onBlur={() => {
                const fixed = clampLength(Number(lengthText));
                setLengthText(String(fixed));
                if (fixed !== length) {
                  setLength(fixed);
                  regenerate(fixed);
                }
              }}
              aria-invalid={lengthInvalid}
              aria-describedby={`${ids}-length-hint`}
            />
            <p className="field__hint" id={`${ids}-length-hint`}>
              <Trans>
                {min} to {max} characters
              </Trans>
            </p>
          </div>
          <fieldset className="generator__sets">
            <legend className="field__label">
              <Trans>Characters</Trans>
            </legend>
            {ALL_SETS.map((set) => (
              <CheckField
                key={set}
                id={`${ids}-${set}`}
                label={i18n._(SET_LABELS[set])}
                checked={sets.includes(set)}
                onChange={(checked) => toggleSet(set, checked)}
              />
            ))}
          </fieldset>
        </div>

        {sets.length === 0 ? (
          <p className="field__error" role="alert">
            <Trans>Choose at least one kind of character.</Trans>
          </p>
        ) : (
          <div className="field">
            <label className="field__label" htmlFor={`${ids}-value`}>
              <Trans>Generated password</Trans>
            </label>
            <div className="copy-field">
              <input
                id={`${ids}-value`}
                className="input input--mono"
                readOnly
                value={password}
                spellCheck={false}
                autoComplete="off"
                dir="ltr"
                aria-describedby={`${ids}-strength`}
                onFocus={(event) => event.currentTarget.select()}
                data-testid="generated-password"
              />
              <CopyButton
                state={state}
                onCopy={() => void copy(password)}
                label={t`Copy generated password`}
                variant="secondary"
              />
            </div>
            <p className="field__hint" id={`${ids}-strength`}>
              <Trans>About {bits} bits of randomness, made in this browser.</Trans>
            </p>
          </div>
        )}
        <CopyAnnouncement state={state} what={t`Password`} />

        <div className="form-actions">
          <button
            type="button"
            className="button button--primary button--small"
            disabled={!password}
            aria-disabled={busy || undefined}
            onClick={unlessBusy(busy, () => onUse(password))}
          >
            <Trans>Use as the secret</Trans>
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={sets.length === 0}
            onClick={() => regenerate()}
          >
            <Trans>New password</Trans>
          </button>
        </div>
      </div>
    </div>
  );
}
