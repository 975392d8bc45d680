const CONTROL = "button:not(:disabled), a[href], select:not(:disabled), input:not(:disabled)";
const EMPTY_HEADING = ".empty-state h3";

/**
 * Keeps a keyboard user's place in a dashboard list when a confirmed action on a row takes away
 * the button they pressed (Delete, Remove, Cancel, Revoke). The dialog gives focus back to that
 * button when it closes; once it is gone, focus would fall to the page's start. Call this before
 * the row changes, inside the section that holds the list (`aria-labelledby` its heading), and
 * run what it returns once the dialog has closed (a modal dialog keeps focus inside until then).
 * Focus then goes to the first control of the same row if it is still listed, else of the row now
 * in its place (or the new last row), else to the empty state's heading, else to the section's.
 */
export function refocusAfter(section: HTMLElement | null, rowSelector: string): () => void {
  const rows = () => [...(section?.querySelectorAll<HTMLElement>("tr.data-table__row") ?? [])];
  const index = Math.max(
    0,
    rows().findIndex((row) => row.matches(rowSelector)),
  );
  return () => {
    if (!section?.isConnected) return;
    const now = rows();
    const row = now.find((r) => r.matches(rowSelector)) ?? now[Math.min(index, now.length - 1)];
    const headingId = section.getAttribute("aria-labelledby");
    const target =
      row?.querySelector<HTMLElement>(CONTROL) ??
      section.querySelector<HTMLElement>(EMPTY_HEADING) ??
      (headingId ? document.getElementById(headingId) : null);
    target?.focus();
  };
}
