/**
 * Text that came from a server reaches a terminal only as text (issue 15, item 6): a request's
 * name or an error message could otherwise carry escape sequences that write to the clipboard,
 * erase lines or draw fake rows. C0 controls (but tab and newline), DEL and C1 controls are
 * removed. The secret itself on `get` is exempt: the user asked for its exact bytes.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without control characters other than tab and newline. */
export function printable(text: string): string {
  return text.replace(CONTROL, "");
}

/**
 * One line of JSON that is safe on a terminal and loses nothing: JSON.stringify already escapes
 * C0 controls; DEL and C1 controls are escaped the same way (`\u009b`), so a parser reads the
 * original characters back.
 */
export function jsonLine(value: unknown): string {
  const escaped = JSON.stringify(value).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `${escaped}\n`;
}
