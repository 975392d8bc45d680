import { Trans } from "@lingui/react/macro";

/** "Load more" under a paged table; a failure shows here and leaves the loaded rows alone. */
export function LoadMore({
  busy,
  error,
  onLoad,
}: {
  busy: boolean;
  error: string | null;
  onLoad: () => void;
}) {
  return (
    <div className="load-more">
      {/* aria-disabled while loading, not disabled, which drops the focus to <body>. */}
      <button
        type="button"
        className="button button--secondary"
        aria-disabled={busy || undefined}
        onClick={busy ? undefined : onLoad}
      >
        {busy && <span className="spinner" aria-hidden="true" />}
        <span>{busy ? <Trans>Loading…</Trans> : <Trans>Load more</Trans>}</span>
      </button>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
