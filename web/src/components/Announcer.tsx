/**
 * Says `message` to screen readers without showing it: the result of an action whose visible
 * change (a row gone, more rows) is easy to miss. Rendered from the start, so the live region
 * exists before its first message.
 */
export function Announcer({ message }: { message: string }) {
  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
