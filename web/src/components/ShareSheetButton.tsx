import { Trans } from "@lingui/react/macro";
import { useState } from "react";

import { canShareLink } from "../lib/device";
import { LinkIcon } from "./icons";

/**
 * "Share…": hands the link to the system share sheet (messengers, mail, AirDrop), where the
 * browser has one; renders nothing elsewhere. Only the URL is passed, no text about the secret.
 */
export function ShareSheetButton({
  url,
  title,
  label,
}: {
  url: string;
  title: string;
  label: string;
}) {
  const [available] = useState(() => canShareLink(url));
  const [failed, setFailed] = useState(false);
  if (!available) return null;

  async function share() {
    setFailed(false);
    try {
      await navigator.share({ url, title });
    } catch (error) {
      // Closing the sheet is not a failure worth a message.
      if (!(error instanceof DOMException && error.name === "AbortError")) setFailed(true);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button button--secondary share-sheet-button"
        onClick={() => void share()}
        aria-label={label}
      >
        <LinkIcon />
        <span>
          <Trans>Share…</Trans>
        </span>
      </button>
      {failed && (
        <p className="field__error share-sheet-error" role="alert">
          <Trans>The share sheet did not open. Copy the link instead.</Trans>
        </p>
      )}
    </>
  );
}
