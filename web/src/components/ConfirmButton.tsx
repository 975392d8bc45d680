import { Trans } from "@lingui/react/macro";
import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * Where a page's one destructive action stands (Delete on the manage page, Destroy now after a
 * reveal): the button shows "busy", the page shows "done" and the error in its own words.
 */
export type ActionState = "idle" | "busy" | "done" | { error: string };

interface ConfirmButtonProps {
  /** What the first button says, e.g. "Delete secret". */
  children: ReactNode;
  question: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  busy?: boolean;
  busyLabel?: string;
  icon?: ReactNode;
  /** The small buttons of a table line. */
  small?: boolean;
}

/**
 * A destructive action in two steps, inline (no modal): the first press asks, the second acts.
 * Focus moves to the question's safe answer (Cancel), so an Enter pressed twice destroys nothing.
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel,
  onConfirm,
  busy = false,
  busyLabel,
  icon,
  small = false,
}: ConfirmButtonProps) {
  const size = small ? " button--small" : "";
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (wasAsking.current) startRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={startRef}
        type="button"
        className={`button button--danger-outline${size}`}
        onClick={() => setAsking(true)}
      >
        {icon}
        <span>{children}</span>
      </button>
    );
  }

  return (
    <div className="confirm" role="group" aria-label={question}>
      <p className="confirm__question">{question}</p>
      <div className="confirm__actions">
        {/* aria-disabled, not disabled, while busy: a disabled button dropped the focus to
            <body>, so after a failure the next Tab started over at the top of the page. */}
        <button
          type="button"
          className={`button button--danger${size}`}
          aria-disabled={busy || undefined}
          onClick={busy ? undefined : () => void onConfirm()}
        >
          {icon}
          <span>{busy ? (busyLabel ?? <Trans>Working…</Trans>) : confirmLabel}</span>
        </button>
        <button
          ref={cancelRef}
          type="button"
          className={`button button--ghost${size}`}
          disabled={busy}
          onClick={() => setAsking(false)}
        >
          <Trans>Cancel</Trans>
        </button>
      </div>
    </div>
  );
}
