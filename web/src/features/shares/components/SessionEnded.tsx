import { Trans } from "@lingui/react/macro";

import { Notice } from "../../../components/Notice";
import { useAreas } from "../../../i18n/use-areas";

/**
 * The create was refused because the session behind the form has ended (signed out elsewhere,
 * revoked, expired): the server made nothing rather than an anonymous share the author would
 * look for in their dashboard (SPEC, "a stale session cookie"). The form keeps what was typed.
 * Signing in opens a new tab, so nothing typed here is lost; back here, "Create" tries again.
 * Its messages are in "share-signed-in": only someone who was signed in sees it. The new-request
 * page ("/request") shows it too, for a request.
 */
export function SessionEnded({
  onAnonymous,
  what = "share",
}: {
  onAnonymous: () => void;
  what?: "share" | "request";
}) {
  const ready = useAreas(["share-signed-in"]);
  if (!ready) return null;
  return (
    <Notice tone="warning" role="alert">
      <p>
        {what === "share" ? (
          <Trans>
            Your session has ended. Sign in again to keep this share in your account, or create it
            without an account.
          </Trans>
        ) : (
          <Trans>
            Your session has ended. Sign in again to keep this request in your account, or create it
            without an account.
          </Trans>
        )}
      </p>
      <div className="form-actions">
        <a
          className="button button--secondary"
          href={what === "share" ? "/login?next=%2F" : "/login?next=%2Frequest"}
          target="_blank"
          rel="noopener noreferrer"
        >
          <Trans>Sign in (opens a new tab)</Trans>
        </a>
        <button type="button" className="button button--secondary" onClick={onAnonymous}>
          <Trans>Create without an account</Trans>
        </button>
      </div>
    </Notice>
  );
}
