import { Trans, useLingui } from "@lingui/react/macro";

import type { CopyState } from "../lib/use-copy";
import { CheckIcon, CopyIcon } from "./icons";

/** The button half of a copy control; says "Copied" for a moment after it worked. */
export function CopyButton({
  state,
  onCopy,
  label,
  variant = "primary",
}: {
  state: CopyState;
  onCopy: () => void;
  /** Accessible name before copying, e.g. "Copy share link". */
  label: string;
  variant?: "primary" | "secondary";
}) {
  const { t } = useLingui();
  const copied = state === "copied";
  return (
    <button
      type="button"
      className={`button ${copied ? "button--success" : `button--${variant}`} copy-button`}
      onClick={onCopy}
      aria-label={copied ? t`Copied` : label}
    >
      {copied ? <CheckIcon /> : <CopyIcon />}
      <span>{copied ? <Trans>Copied</Trans> : <Trans>Copy</Trans>}</span>
    </button>
  );
}

export function CopyAnnouncement({ state, what }: { state: CopyState; what: string }) {
  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {state === "copied" ? (
        <Trans>{what} copied to the clipboard.</Trans>
      ) : state === "failed" ? (
        <Trans>Copying did not work: select the text and copy it yourself.</Trans>
      ) : (
        ""
      )}
    </p>
  );
}
