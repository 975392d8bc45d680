import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_NOTE_LENGTH } from "@hushlink/protocol/client";

import { formatCharactersLeft } from "../../../lib/format";

/**
 * A message to the recipient ("the staging database; rotate it after the migration"). It is
 * encrypted with the secret, so the server never reads it, and shown above the secret after
 * Reveal, never before.
 */
export function NoteField({
  id,
  value,
  onChange,
  readOnly,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** While its form is busy: focusable and read, not edited (never disabled). */
  readOnly: boolean;
}) {
  const { t } = useLingui();
  const left = MAX_NOTE_LENGTH - value.length;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        <Trans>
          Message to the recipient <span className="field__optional">(optional)</span>
        </Trans>
      </label>
      <textarea
        id={id}
        className="input textarea"
        rows={2}
        value={value}
        maxLength={MAX_NOTE_LENGTH}
        onChange={(event) => onChange(event.target.value)}
        placeholder={t`e.g. The staging database; rotate it after the migration.`}
        aria-describedby={`${id}-hint`}
        readOnly={readOnly}
      />
      <p className="field__hint" id={`${id}-hint`}>
        <Trans>Encrypted with the secret and shown above it after Reveal.</Trans>
        {value.length > MAX_NOTE_LENGTH - 100 ? ` ${formatCharactersLeft(left)}` : ""}
      </p>
    </div>
  );
}
