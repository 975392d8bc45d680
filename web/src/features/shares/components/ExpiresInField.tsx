import { Trans } from "@lingui/react/macro";

import { unlessBusy } from "../../../lib/busy";
import { formatDuration } from "../../../lib/format";
import type { expiryChoices } from "../choices";

/** "Expires in", for shares and requests alike (SPEC F1, F6), over the choices the server allows. */
export function ExpiresInField({
  id,
  choices,
  value,
  onChange,
  busy,
}: {
  id: string;
  choices: ReturnType<typeof expiryChoices>;
  /** Seconds. */
  value: number;
  onChange: (seconds: number) => void;
  /** Its form is busy: focusable, aria-disabled, a change ignored (unlessBusy). */
  busy: boolean;
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        <Trans>Expires in</Trans>
      </label>
      <select
        id={id}
        className="input select"
        value={value}
        onChange={unlessBusy(busy, (event) => onChange(Number(event.target.value)))}
        aria-disabled={busy || undefined}
      >
        {choices.map((choice) => (
          <option key={choice.seconds} value={choice.seconds}>
            {formatDuration(choice.seconds)}
          </option>
        ))}
      </select>
    </div>
  );
}
