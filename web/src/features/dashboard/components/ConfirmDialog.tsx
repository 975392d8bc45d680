import { useLingui } from "@lingui/react/macro";
import { useEffect, useId, useRef, type ReactNode } from "react";

import { Notice } from "../../../components/Notice";
import { BusyButton } from "../../../components/BusyButton";

/**
 * A modal question before a destructive action, on the native <dialog>: it traps focus, closes
 * on Escape and gives focus back to the button that opened it. `onClosed` runs after that, for
 * when the action took that button away.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  dismissLabel,
  busyLabel,
  busy = false,
  error = null,
  onConfirm,
  onCancel,
  onClosed,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /**
   * The button that closes the dialog without acting. Where the action itself is a cancel
   * ("Cancel invitation"), say what dismissing keeps, so the two buttons do not both say Cancel.
   */
  dismissLabel?: string;
  busyLabel?: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  /** The dialog has closed and the browser has given focus back (the `close` event). */
  onClosed?: () => void;
}) {
  const { t } = useLingui();
  const ref = useRef<HTMLDialogElement>(null);
  const dismissRef = useRef<HTMLButtonElement>(null);
  const ids = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // Focus starts on the safe choice: an Enter pressed out of habit destroys nothing.
      dismissRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      onClose={onClosed}
    >
      {open && (
        <div className="dialog__content">
          <h2 id={`${ids}-title`} className="section-title">
            {title}
          </h2>
          <div id={`${ids}-body`} className="dialog__body">
            {children}
          </div>
          {error && (
            <Notice tone="danger" role="alert">
              {error}
            </Notice>
          )}
          <div className="dialog__actions">
            {/* Both focusable while busy, a press ignored: a disabled button dropped the focus
                out of the dialog to <body>, so after a failure Enter could not try again, and
                Shift+Tab from the confirm button left the dialog. */}
            <BusyButton
              ref={dismissRef}
              className="button button--ghost"
              busy={busy}
              onClick={onCancel}
            >
              {dismissLabel ?? t`Cancel`}
            </BusyButton>
            <BusyButton className="button button--danger" busy={busy} spinner onClick={onConfirm}>
              <span>{busy ? (busyLabel ?? t`Working…`) : confirmLabel}</span>
            </BusyButton>
          </div>
        </div>
      )}
    </dialog>
  );
}
