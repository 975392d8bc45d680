import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useState } from "react";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { EyeIcon, EyeOffIcon } from "../../../components/icons";
import { ToggleSwitch } from "../../../components/ToggleSwitch";
import { useClearingCopy, type ClearState } from "../../../lib/use-clearing-copy";

const CLEAR_NOTE: Record<Exclude<ClearState, "none">, MessageDescriptor> = {
  pending: msg`Copied. The clipboard will be cleared in a minute.`,
  cleared: msg`The clipboard was cleared.`,
  kept: msg`Something else was copied since, so the clipboard was left alone.`,
  unavailable: msg`This browser does not let the page clear the clipboard: clear it yourself.`,
};

/**
 * The decrypted secret: hidden until the viewer asks to see it (a shared screen shows nothing
 * by accident), copyable while hidden, with a copy that empties the clipboard a minute later.
 */
export function SecretBox({ text }: { text: string }) {
  const [shown, setShown] = useState(false);
  const [wrap, setWrap] = useState(true);
  const { state, clear, copy } = useClearingCopy();
  const { t, i18n } = useLingui();

  return (
    <div className="secret">
      <div className="secret__toolbar">
        <span className="secret__label" id="secret-label">
          <Trans>Secret</Trans>
        </span>
        <div className="secret__actions">
          <ToggleSwitch checked={wrap} onChange={setWrap} label={t`Wrap lines`} />
          <button
            type="button"
            className="button button--ghost button--small"
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
          >
            {shown ? <EyeOffIcon /> : <EyeIcon />}
            <span>{shown ? <Trans>Hide</Trans> : <Trans>Show</Trans>}</span>
          </button>
          <CopyButton state={state} onCopy={() => void copy(text)} label={t`Copy secret`} />
        </div>
      </div>
      <div className="secret__body">
        {/* Text content only: React escapes it, and it is never parsed as HTML. Hidden, it is
            not painted at all (visibility), so neither a screen share nor a reader shows it. */}
        <pre
          className={`secret__text ${wrap ? "" : "secret__text--nowrap"} ${shown ? "" : "secret__text--hidden"}`}
          tabIndex={shown ? 0 : -1}
          aria-labelledby="secret-label"
          aria-hidden={!shown}
          dir="ltr"
          data-testid="secret-text"
        >
          {text}
        </pre>
        {!shown && (
          <button
            type="button"
            className="secret__cover"
            onClick={() => setShown(true)}
            data-testid="secret-cover"
          >
            <EyeIcon />
            <span>
              <strong>
                <Trans>Show the secret</Trans>
              </strong>
              <span className="secret__cover-hint">
                <Trans>Hidden in case your screen is shared</Trans>
              </span>
            </span>
          </button>
        )}
      </div>
      <CopyAnnouncement state={state} what={t`Secret`} />
      {clear !== "none" && (
        <p className="secret__clipboard" role="status" data-testid="clipboard-note">
          {i18n._(CLEAR_NOTE[clear])}
        </p>
      )}
    </div>
  );
}
