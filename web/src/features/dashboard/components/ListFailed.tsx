import { Trans } from "@lingui/react/macro";

import { Notice } from "../../../components/Notice";

/** A dashboard list that could not be loaded: why, and (where offered) a way to try again. */
export function ListFailed({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <Notice tone="danger" role="alert">
      {onRetry ? (
        <>
          <p>{message}</p>
          <p>
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={onRetry}
            >
              <Trans>Try again</Trans>
            </button>
          </p>
        </>
      ) : (
        message
      )}
    </Notice>
  );
}
