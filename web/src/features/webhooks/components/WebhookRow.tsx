import { HistoryIcon } from "../../../components/icons";
import { formatAuditTime } from "../../audit/format";
import type { Webhook, WebhookDelivery } from "../api";
import { eventsSummary, FORMAT_LABEL } from "../format";
import { DeliveryBadge } from "./DeliveryLog";

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
  return (
    <tr className="data-table__row" data-webhook-id={webhook.id} data-webhook-url={webhook.url}>
      <th scope="row" className="data-table__name">
        <span className="audit-event">
          <span className="break-anywhere">{webhook.url}</span>
          <span className="muted">
            {FORMAT_LABEL[webhook.format]} format
            {webhook.includeShareNames ? ", with share names" : ""}
          </span>
        </span>
      </th>
      <td data-label="Events">{eventsSummary(webhook.events, totalEvents)}</td>
      <td data-label="Status">
        {webhook.enabled ? (
          <span className="badge badge--success">Enabled</span>
        ) : (
          <span className="badge badge--muted">Paused</span>
        )}
      </td>
      <td data-label="Last delivery">
        {last ? (
          <span className="audit-event">
            <DeliveryBadge status={last.status} />
            <time className="muted" dateTime={last.createdAt}>
              {formatAuditTime(last.createdAt)}
            </time>
          </span>
        ) : (
          <span className="muted">None yet</span>
        )}
      </td>
      <td className="data-table__actions">
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={busy}
          onClick={onTest}
        >
          {busy ? "Sending…" : "Send test"}
          <span className="visually-hidden"> to {webhook.url}</span>
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          onClick={onToggleDetails}
        >
          <HistoryIcon />
          <span>
            Details<span className="visually-hidden"> of {webhook.url}</span>
          </span>
        </button>
      </td>
    </tr>
  );
}
