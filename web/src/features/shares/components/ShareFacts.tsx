import { Trans } from "@lingui/react/macro";

import { Fact } from "../../../components/Fact";
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
      <Fact
        icon={<ClockIcon />}
        title={<Trans>Expires {when}</Trans>}
        detail={formatDate(expiresAt)}
      />
      <Fact
        icon={<ViewsIcon />}
        title={
          viewsRemaining === null ? (
            <Trans>Unlimited views until then</Trans>
          ) : (
            formatViewsLeft(viewsRemaining)
          )
        }
        detail={
          viewsRemaining === 1 ? (
            <Trans>Revealing uses it, and then the secret is destroyed.</Trans>
          ) : (
            <Trans>Revealing uses one view.</Trans>
          )
        }
      />
      {requiresPassword && (
        <Fact
          icon={<KeyIcon />}
          title={<Trans>Password protected</Trans>}
          detail={<Trans>The sender should have given it to you separately.</Trans>}
        />
      )}
    </ul>
  );
}
