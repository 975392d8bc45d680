import { Trans, useLingui } from "@lingui/react/macro";

import { HistoryIcon } from "../../../components/icons";
import { formatAuditTime } from "../../audit/format";
import type { Webhook, WebhookDelivery } from "../api";
import { eventsSummary, FORMAT_LABEL } from "../format";
import { DeliveryBadge } from "./DeliveryLog";
import { BusyButton } from "../../../components/BusyButton";

/** One endpoint in the Webhooks tab's table: where, what, whether on, how the last send went. */
export function WebhookRow({
  webhook,
  last,
  totalEvents,
  open,
  detailsId,
  busy,
  onTest,
  onToggleDetails,
}: {
  webhook: Webhook;
  last: WebhookDelivery | null;
  totalEvents: number;
  open: boolean;
  detailsId: string;
  busy: boolean;
  onTest: () => void;
  onToggleDetails: () => void;
}) {
  const { t } = useLingui();
  const { url } = webhook;
  const format = FORMAT_LABEL[webhook.format];
  return (
    <tr className="data-table__row" data-webhook-id={webhook.id} data-webhook-url={webhook.url}>
      <th scope="row" className="data-table__name">
        <span className="audit-event">
          <span className="break-anywhere">{webhook.url}</span>
          <span className="muted">
            {webhook.includeShareNames ? (
              <Trans>{format} format, with share names</Trans>
            ) : (
              <Trans>{format} format</Trans>
            )}
          </span>
        </span>
      </th>
      <td data-label={t`Events`}>{eventsSummary(webhook.events, totalEvents)}</td>
      <td data-label={t`Status`}>
        {webhook.enabled ? (
          <span className="badge badge--success">
            <Trans>Enabled</Trans>
          </span>
        ) : (
          <span className="audit-event">
            <span className="badge badge--muted">
              <Trans>Paused</Trans>
            </span>
            {/* Paused by the server when its owner left or stopped being an admin (SPEC). */}
            {webhook.pausedReason === "creator_not_admin" && (
              <span className="muted" data-testid="paused-reason">
                <Trans>Its creator is no longer an admin</Trans>
              </span>
            )}
          </span>
        )}
      </td>
      <td data-label={t`Last delivery`}>
        {last ? (
          <span className="audit-event">
            <DeliveryBadge status={last.status} />
            <time className="muted" dateTime={last.createdAt}>
              {formatAuditTime(last.createdAt)}
            </time>
          </span>
        ) : (
          <span className="muted">
            <Trans>None yet</Trans>
          </span>
        )}
      </td>
      <td className="data-table__actions">
        <BusyButton className="button button--secondary button--small" busy={busy} onClick={onTest}>
          {busy ? (
            <Trans>
              Sending…<span className="visually-hidden"> to {url}</span>
            </Trans>
          ) : (
            <Trans>
              Send test<span className="visually-hidden"> to {url}</span>
            </Trans>
          )}
        </BusyButton>
        <button
          type="button"
          className="button button--ghost button--small"
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          onClick={onToggleDetails}
        >
          <HistoryIcon />
          <span>
            <Trans>
              Details<span className="visually-hidden"> of {url}</span>
            </Trans>
          </span>
        </button>
      </td>
    </tr>
  );
}
