import { ClockIcon, KeyIcon, ViewsIcon } from "../../../components/icons";
import { formatDate, formatTimeUntil, englishPlural } from "../../../lib/format";

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
  return (
    <ul className="facts">
      <li className="facts__item">
        <ClockIcon />
        <span>
          <strong>Expires {formatTimeUntil(expiresAt)}</strong>
          <span className="facts__detail">{formatDate(expiresAt)}</span>
        </span>
      </li>
      <li className="facts__item">
        <ViewsIcon />
        <span>
          <strong>
            {viewsRemaining === null
              ? "Unlimited views until then"
              : `${englishPlural(viewsRemaining, "view")} left`}
          </strong>
          <span className="facts__detail">
            {viewsRemaining === 1
              ? "Revealing uses it, and then the secret is destroyed."
              : "Revealing uses one view."}
          </span>
        </span>
      </li>
      {requiresPassword && (
        <li className="facts__item">
          <KeyIcon />
          <span>
            <strong>Password protected</strong>
            <span className="facts__detail">
              The sender should have given it to you separately.
            </span>
          </span>
        </li>
      )}
    </ul>
  );
}
