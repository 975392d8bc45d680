import { useId, useState } from "react";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { KeyIcon } from "../../../components/icons";
import { useCopy } from "../../../lib/use-copy";
import {
  DEFAULT_LENGTH,
  entropyBits,
  generatePassword,
  MAX_LENGTH,
  MIN_LENGTH,
  type CharacterSet,
} from "../generate-password";

const SET_LABELS: Record<CharacterSet, string> = {
  lower: "Lower case (a–z)",
  upper: "Upper case (A–Z)",
  digits: "Digits (0–9)",
  symbols: "Symbols (!#$…)",
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
  disabled,
}: {
  onUse: (password: string) => void;
  disabled: boolean;
}) {
  const ids = useId();
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

  return (
    <div className="generator">
      <button
        type="button"
        className="button button--ghost button--small generator__toggle"
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        onClick={toggleOpen}
        disabled={disabled}
      >
        <KeyIcon />
        <span>{open ? "Close the password generator" : "Generate a password"}</span>
      </button>
      <div id={`${ids}-panel`} className="generator__panel panel stack stack--tight" hidden={!open}>
        <div className="generator__row">
          <div className="field generator__length">
            <label className="field__label" htmlFor={`${ids}-length`}>
              Length
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
              {MIN_LENGTH} to {MAX_LENGTH} characters
            </p>
          </div>
          <fieldset className="generator__sets">
            <legend className="field__label">Characters</legend>
            {ALL_SETS.map((set) => (
              <div className="check" key={set}>
                <input
                  id={`${ids}-${set}`}
                  className="check__input"
                  type="checkbox"
                  checked={sets.includes(set)}
                  onChange={(event) => toggleSet(set, event.target.checked)}
                />
                <label className="check__label" htmlFor={`${ids}-${set}`}>
                  {SET_LABELS[set]}
                </label>
              </div>
            ))}
          </fieldset>
        </div>

        {sets.length === 0 ? (
          <p className="field__error" role="alert">
            Choose at least one kind of character.
          </p>
        ) : (
          <div className="field">
            <label className="field__label" htmlFor={`${ids}-value`}>
              Generated password
            </label>
            <div className="copy-field">
              <input
                id={`${ids}-value`}
                className="input input--mono"
                readOnly
                value={password}
                spellCheck={false}
                autoComplete="off"
                aria-describedby={`${ids}-strength`}
                onFocus={(event) => event.currentTarget.select()}
                data-testid="generated-password"
              />
              <CopyButton
                state={state}
                onCopy={() => void copy(password)}
                label="Copy generated password"
                variant="secondary"
              />
            </div>
            <p className="field__hint" id={`${ids}-strength`}>
              About {entropyBits(length, sets)} bits of randomness, made in this browser.
            </p>
          </div>
        )}
        <CopyAnnouncement state={state} what="Password" />

        <div className="form-actions">
          <button
            type="button"
            className="button button--primary button--small"
            disabled={!password}
            onClick={() => onUse(password)}
          >
            Use as the secret
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={sets.length === 0}
            onClick={() => regenerate()}
          >
            New password
          </button>
        </div>
      </div>
    </div>
  );
}
