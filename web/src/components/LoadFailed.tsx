import { Trans } from "@lingui/react/macro";

import { StatusPage, type StatusPageProps } from "./StatusPage";

/** A page whose content could not be loaded: why, and Try again where trying again may help. */
export function LoadFailed({
  message,
  onRetry,
  ...page
}: Omit<StatusPageProps, "children"> & { message: string; onRetry?: () => void }) {
  return (
    <StatusPage {...page}>
      <p className="lead" role="alert">
        {message}
      </p>
      {onRetry && (
        <p>
          <button type="button" className="button button--secondary" onClick={onRetry}>
            <Trans>Try again</Trans>
          </button>
        </p>
      )}
    </StatusPage>
  );
}
