import type { ComponentPropsWithRef } from "react";

/**
 * A button that does nothing while `busy` yet keeps the focus: aria-disabled, not disabled,
 * which drops the focus to <body> (the next Tab then starts over at the top of the page).
 * `spinner` shows a spinner before the label while busy.
 */
export function BusyButton({
  busy,
  onClick,
  spinner = false,
  children,
  ...button
}: Omit<ComponentPropsWithRef<"button">, "type" | "onClick" | "aria-disabled"> & {
  busy: boolean;
  onClick: () => void;
  spinner?: boolean;
}) {
  return (
    <button
      type="button"
      {...button}
      aria-disabled={busy || undefined}
      onClick={busy ? undefined : onClick}
    >
      {spinner && busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
