import { Notice } from "../../../components/Notice";

/** The end of every sign-in form: the error, if any, and the one submit button with its busy state. */
export function AuthSubmit({
  busy,
  error,
  label,
  busyLabel,
}: {
  busy: boolean;
  error: string | null;
  label: string;
  busyLabel: string;
}) {
  return (
    <>
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary button--large button--block"
          disabled={busy}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          <span>{busy ? busyLabel : label}</span>
        </button>
      </div>
    </>
  );
}
