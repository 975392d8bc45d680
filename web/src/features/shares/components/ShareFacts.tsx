import { Trans } from "@lingui/react/macro";

import { ClockIcon, KeyIcon, ViewsIcon } from "../../../components/icons";
import { formatDate, formatTimeUntil, formatViewsLeft } from "../../../lib/format";

/** Expiry and views left of a share, as the recipient sees them before revealing. */
export function ShareFacts({
  expiresAt,
  viewsRemaining,
  requiresPassword,
}: {
  expiresAt: string;
  viewsRemaining: number | null;
  requiresPassword: boolean;
}) {
  const when = formatTimeUntil(expiresAt);
  return (
    <ul className="facts">
      <li className="facts__item">
        <ClockIcon />
        <span>
          <strong>
            <Trans>Expires {when}</Trans>
          </strong>
          <span className="facts__detail">{formatDate(expiresAt)}</span>
        </span>
      </li>
      <li className="facts__item">
        <ViewsIcon />
        <span>
          <strong>
            {viewsRemaining === null ? (
              <Trans>Unlimited views until then</Trans>
            ) : (
              formatViewsLeft(viewsRemaining)
            )}
          </strong>
          <span className="facts__detail">
            {viewsRemaining === 1 ? (
              <Trans>Revealing uses it, and then the secret is destroyed.</Trans>
            ) : (
              <Trans>Revealing uses one view.</Trans>
            )}
          </span>
        </span>
      </li>
      {requiresPassword && (
        <li className="facts__item">
          <KeyIcon />
          <span>
            <strong>
              <Trans>Password protected</Trans>
            </strong>
            <span className="facts__detail">
              <Trans>The sender should have given it to you separately.</Trans>
            </span>
          </span>
        </li>
      )}
    </ul>
  );
}
