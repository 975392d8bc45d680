import type { WebhookDelivery } from "../api";
import { eventLabel } from "../../audit/event-types";
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
  if (deliveries.length === 0)
    return (
      <p className="access-log__status">Nothing sent yet. Press Send test to try the endpoint.</p>
    );
  return (
    <table className="access-log delivery-log">
      <caption className="visually-hidden">Delivery log</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Answer</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => {
          const answer = deliveryAnswer(d);
          return (
            <tr key={d.id} data-delivery={d.id} data-status={d.status}>
              <td data-label="Time">
                <time dateTime={d.createdAt}>{formatAuditTime(d.createdAt)}</time>
              </td>
              <td data-label="Event">{eventLabel(d.type)}</td>
              <td data-label="Status">
                <DeliveryBadge status={d.status} />
              </td>
              <td data-label="Attempts">{d.attempts}</td>
              <td data-label="Answer" className="break-anywhere">
                {answer ?? <span className="muted">—</span>}
                {d.status === "pending" && d.nextAttemptAt && (
                  <span className="muted block-line">
                    next try{" "}
                    <time dateTime={d.nextAttemptAt}>{formatAuditTime(d.nextAttemptAt)}</time>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
