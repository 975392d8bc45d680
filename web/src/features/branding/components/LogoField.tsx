import { useId, useState, type ChangeEvent } from "react";

import { ConfirmButton } from "../../../components/ConfirmButton";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { formatBytes } from "../../../lib/format";

/** The server's limit (SPEC F7); checked here first so a large file is not sent for nothing. */
export const MAX_LOGO_BYTES = 512 * 1024;
const ACCEPT = "image/png,image/jpeg,image/webp";

export type LogoState = "idle" | "uploading" | "removing";

function uploadError(error: unknown): string {
  if (isApiError(error, "unsupported_image")) {
    return "That file is not a PNG, JPEG or WebP image. SVG and other formats are not accepted.";
  }
  if (isApiError(error, "logo_too_large") || isApiError(error, "invalid_image")) {
    return error.message;
  }
  if (isApiError(error) && error.status === 413) {
    return `The logo must be at most ${formatBytes(MAX_LOGO_BYTES)}.`;
  }
  return error instanceof Error ? error.message : "The logo could not be uploaded.";
}

/**
 * The organization's logo: what public pages show now, a file button to upload another (the
 * file's bytes go to the server as they are), and Remove.
 */
export function LogoField({
  logoUrl,
  orgName,
  readOnly,
  onUpload,
  onRemove,
}: {
  logoUrl: string | null;
  orgName: string;
  readOnly: boolean;
  onUpload: (file: File) => Promise<void>;
  onRemove: () => Promise<void>;
}) {
  const ids = useId();
  const [state, setState] = useState<LogoState>("idle");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string>("");

  async function chosen(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // The same file can be chosen again after an error.
    event.target.value = "";
    if (!file) return;
    setError(null);
    setDone("");
    if (file.size > MAX_LOGO_BYTES) {
      setError(
        `${file.name} is ${formatBytes(file.size)}; the logo must be at most ${formatBytes(MAX_LOGO_BYTES)}.`,
      );
      return;
    }
    setState("uploading");
    try {
      await onUpload(file);
      setDone("Logo uploaded. Share and request pages show it from now on.");
    } catch (caught) {
      setError(uploadError(caught));
    } finally {
      setState("idle");
    }
  }

  async function remove() {
    setError(null);
    setDone("");
    setState("removing");
    try {
      await onRemove();
      setDone("Logo removed. Pages show the organization's name instead.");
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The logo could not be removed.");
    } finally {
      setState("idle");
    }
  }

  const busy = state !== "idle";

  return (
    <div className="field logo-field" role="group" aria-labelledby={`${ids}-label`}>
      <span className="field__label" id={`${ids}-label`}>
        Logo
      </span>
      <div className="logo-field__row">
        <div className="logo-field__preview">
          {logoUrl ? (
            <img
              className="logo-field__image"
              src={logoUrl}
              alt={`Current logo of ${orgName}`}
              data-testid="current-logo"
            />
          ) : (
            <span className="logo-field__empty">No logo</span>
          )}
        </div>
        {!readOnly && (
          <div className="logo-field__actions">
            <label
              className={`button button--secondary file-button ${busy ? "file-button--busy" : ""}`}
            >
              {state === "uploading" ? <span className="spinner" aria-hidden="true" /> : null}
              <span>
                {state === "uploading" ? "Uploading…" : logoUrl ? "Replace logo" : "Upload logo"}
              </span>
              <input
                type="file"
                className="visually-hidden"
                accept={ACCEPT}
                onChange={(event) => void chosen(event)}
                disabled={busy}
                aria-describedby={`${ids}-hint`}
              />
            </label>
            {logoUrl && (
              <ConfirmButton
                question="Remove the logo? Pages show the organization's name instead."
                confirmLabel="Yes, remove it"
                busy={state === "removing"}
                busyLabel="Removing…"
                onConfirm={remove}
                icon={<TrashIcon />}
              >
                Remove logo
              </ConfirmButton>
            )}
          </div>
        )}
      </div>
      {!readOnly && (
        <p className="field__hint" id={`${ids}-hint`}>
          PNG, JPEG or WebP, at most {formatBytes(MAX_LOGO_BYTES)} and 2048 × 2048 pixels. Pages
          show it 40 pixels high; a wide logo with a transparent background works best.
        </p>
      )}
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {done}
      </p>
    </div>
  );
}
