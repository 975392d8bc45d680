/**
 * An on/off control that shows its state: a sliding knob and the words "On"/"Off", not just a
 * shade of background that is easy to miss (role="switch" tells assistive tech the same).
 */
import { Trans } from "@lingui/react/macro";

export function ToggleSwitch({
  checked,
  onChange,
  label,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      className="switch"
      onClick={() => onChange(!checked)}
    >
      <span className="switch__label">{label}</span>
      <span className="switch__track" aria-hidden="true">
        <span className="switch__knob" />
      </span>
      <span className="switch__state" aria-hidden="true">
        {checked ? <Trans>On</Trans> : <Trans>Off</Trans>}
      </span>
    </button>
  );
}
