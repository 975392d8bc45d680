/**
 * A control that has no readOnly (select, checkbox, radio button, file picker, a button inside a
 * field) while its form is busy. `disabled` would drop the focus to <body> (the next Tab starts
 * over at the top of the page, Enter cannot try again) and hide the control from screen readers,
 * so it stays focusable and carries aria-disabled instead, and this handler ignores it: a click
 * (also the one Space or Enter makes) is cancelled, which keeps a checkbox or radio button as it
 * was and opens no file picker; a select's change by keyboard is dropped, and React puts the
 * controlled value back.
 */
export function unlessBusy<E extends { preventDefault(): void }>(
  busy: boolean,
  handler?: (event: E) => void,
): (event: E) => void {
  return (event) => {
    if (busy) event.preventDefault();
    else handler?.(event);
  };
}
