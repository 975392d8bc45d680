import type { expiryChoices } from "../choices";

/** "Expires in", for shares and requests alike (SPEC F1, F6), over the choices the server allows. */
export function ExpiresInField({
  id,
  choices,
  value,
  onChange,
  disabled,
}: {
  id: string;
  choices: ReturnType<typeof expiryChoices>;
  /** Seconds. */
  value: number;
  onChange: (seconds: number) => void;
  disabled: boolean;
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Expires in
      </label>
      <select
        id={id}
        className="input select"
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
        disabled={disabled}
      >
        {choices.map((choice) => (
          <option key={choice.seconds} value={choice.seconds}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
