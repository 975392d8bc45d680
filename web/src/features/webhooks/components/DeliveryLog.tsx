import { Trans, useLingui } from "@lingui/react/macro";

import type { WebhookDelivery } from "../api";
import { eventLabel } from "../../audit/event-types";
import { LogTable } from "../../dashboard/components/LogTable";
import { formatAuditTime } from "../../audit/format";
import { deliveryAnswer, DELIVERY_STATUS } from "../format";

/** A delivery's state as a badge: Delivered, Failed, Pending. */
export function DeliveryBadge({ status }: { status: WebhookDelivery["status"] }) {
  const { label, tone } = DELIVERY_STATUS[status];
  return (
    <span className={`badge badge--${tone}`} data-delivery-status={status}>
      {label}
    </span>
  );
}

/**
 * One endpoint's delivery log, newest first: what was sent, whether it arrived, after how many
 * attempts, and the receiver's answer (or why there was none).
 */
export function DeliveryLog({ deliveries }: { deliveries: WebhookDelivery[] }) {
  const { t } = useLingui();
  if (deliveries.length === 0)
    return (
      <p className="access-log__status">
        <Trans>Nothing sent yet. Press Send test to try the endpoint.</Trans>
      </p>
    );
  return (
    <LogTable
      caption={t`Delivery log`}
      columns={[t`Time`, t`Event`, t`Status`, t`Attempts`, t`Answer`]}
      className="delivery-log"
    >
      {deliveries.map((d) => {
        const answer = deliveryAnswer(d);
        const nextTry = d.nextAttemptAt ? formatAuditTime(d.nextAttemptAt) : "";
        return (
          <tr key={d.id} data-delivery={d.id} data-status={d.status}>
            <td data-label={t`Time`}>
              <time dateTime={d.createdAt}>{formatAuditTime(d.createdAt)}</time>
            </td>
            <td data-label={t`Event`}>{eventLabel(d.type)}</td>
            <td data-label={t`Status`}>
              <DeliveryBadge status={d.status} />
            </td>
            <td data-label={t`Attempts`}>{d.attempts}</td>
            <td data-label={t`Answer`} className="break-anywhere">
              {answer ?? <span className="muted">—</span>}
              {d.status === "pending" && d.nextAttemptAt && (
                <span className="muted block-line">
                  <Trans>
                    next try <time dateTime={d.nextAttemptAt}>{nextTry}</time>
                  </Trans>
                </span>
              )}
            </td>
          </tr>
        );
      })}
    </LogTable>
  );
}
