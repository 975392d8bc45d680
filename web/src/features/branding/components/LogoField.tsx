import { useId, useState, type ChangeEvent } from "react";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { i18n } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api";
import { unlessBusy } from "../../../lib/busy";
import { formatBytes } from "../../../lib/format";

/** The server's limit (SPEC F7); checked here first so a large file is not sent for nothing. */
export const MAX_LOGO_BYTES = 512 * 1024;
const ACCEPT = "image/png,image/jpeg,image/webp";

/** Why the server refused a logo, in the words the user needs. */
export function uploadError(error: unknown): string {
  if (isApiError(error, "unsupported_image")) {
    return i18n._(
      msg`That file is not a PNG, JPEG or WebP image. SVG and other formats are not accepted.`,
    );
  }
  if (isApiError(error, "logo_too_large") || isApiError(error, "invalid_image")) {
    return error.message;
  }
  if (isApiError(error) && error.status === 413) {
    const most = formatBytes(MAX_LOGO_BYTES);
    return i18n._(msg`The logo must be at most ${most}.`);
  }
  return error instanceof Error ? error.message : i18n._(msg`The logo could not be uploaded.`);
}

/**
 * The organization's logo as it will be after Save: a file button stages another (its bytes go
 * to the server only with Save, so logo and colours are saved together), and Remove stages its
 * removal. `staged` says the shown logo is not saved yet.
 */
export function LogoField({
  logoUrl,
  staged,
  orgName,
  readOnly,
  busy,
  onPick,
  onRemove,
}: {
  logoUrl: string | null;
  staged: boolean;
  orgName: string;
  readOnly: boolean;
  /** The form is saving: the picker and Remove stay focusable but do nothing (unlessBusy). */
  busy: boolean;
  onPick: (file: File) => void;
  onRemove: () => void;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [error, setError] = useState<string | null>(null);

  function chosen(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // The same file can be chosen again after an error.
    event.target.value = "";
    if (!file) return;
    if (file.size > MAX_LOGO_BYTES) {
      const name = file.name;
      const size = formatBytes(file.size);
      const most = formatBytes(MAX_LOGO_BYTES);
      setError(t`${name} is ${size}; the logo must be at most ${most}.`);
      return;
    }
    setError(null);
    onPick(file);
  }

  const most = formatBytes(MAX_LOGO_BYTES);
  return (
    <div className="field logo-field" role="group" aria-labelledby={`${ids}-label`}>
      <span className="field__label" id={`${ids}-label`}>
        {staged ? <Trans>Logo (not saved yet)</Trans> : <Trans>Logo</Trans>}
      </span>
      <div className="logo-field__row">
        <div className="logo-field__preview">
          {logoUrl ? (
            <img
              className="logo-field__image"
              src={logoUrl}
              alt={staged ? t`New logo of ${orgName}` : t`Current logo of ${orgName}`}
              data-testid="current-logo"
            />
          ) : (
            <span className="logo-field__empty">
              <Trans>No logo</Trans>
            </span>
          )}
        </div>
        {!readOnly && (
          <div className="logo-field__actions">
            <label
              className={`button button--secondary file-button ${busy ? "file-button--busy" : ""}`}
            >
              <span>{logoUrl ? t`Replace logo` : t`Upload logo`}</span>
              <input
                type="file"
                className="visually-hidden"
                accept={ACCEPT}
                onClick={unlessBusy(busy)}
                onChange={chosen}
                aria-disabled={busy || undefined}
                aria-describedby={`${ids}-hint`}
              />
            </label>
            {logoUrl && (
              <button
                type="button"
                className="button button--secondary"
                onClick={unlessBusy(busy, () => {
                  setError(null);
                  onRemove();
                })}
                aria-disabled={busy || undefined}
              >
                <TrashIcon />
                <span>
                  <Trans>Remove logo</Trans>
                </span>
              </button>
            )}
          </div>
        )}
      </div>
      {!readOnly && (
        <p className="field__hint" id={`${ids}-hint`}>
          <Trans>
            PNG, JPEG or WebP, at most {most} and 2048 × 2048 pixels. Pages show it 40 pixels high;
            a wide logo with a transparent background works best. Nothing changes for visitors until
            you press Save.
          </Trans>
        </p>
      )}
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
    </div>
  );
}
