/** Words for webhook endpoints and their deliveries. */
import type { AuditEventType } from "@hushlink/protocol";
import { msg, plural } from "@lingui/core/macro";

import { i18n } from "../../i18n/i18n";
import { EVENT_LABEL } from "../audit/event-types";
import { translatedRecord } from "../audit/translated";
import type { WebhookDelivery, WebhookFormat } from "./api";

export const FORMAT_LABEL: Record<WebhookFormat, string> = translatedRecord({
  standard: msg`Standard`,
  slack: msg`Slack`,
});

export const DELIVERY_STATUS: Record<
  WebhookDelivery["status"],
  { label: string; tone: "success" | "danger" | "muted" }
> = {
  delivered: {
    get label() {
      return i18n._(msg`Delivered`);
    },
    tone: "success",
  },
  failed: {
    get label() {
      return i18n._(msg`Failed`);
    },
    tone: "danger",
  },
  pending: {
    get label() {
      return i18n._(msg`Pending`);
    },
    tone: "muted",
  },
};

/** Why the last attempt failed (the worker's codes), in words. */
const ERROR_WORDS: Record<string, string> = translatedRecord({
  dns_failed: msg`the host name did not resolve`,
  address_refused: msg`refused: a private, loopback or link-local address`,
  redirect_refused: msg`answered with a redirect, which is not followed`,
  timeout: msg`no answer within 10 seconds`,
  tls_failed: msg`the TLS connection failed`,
  connect_failed: msg`could not connect`,
});

/** The receiver's answer to the last attempt: "HTTP 204", "HTTP 500", or why there was none. */
export function deliveryAnswer(delivery: WebhookDelivery): string | null {
  if (delivery.responseStatus !== null) return `HTTP ${delivery.responseStatus}`;
  if (delivery.errorCode === null) return null;
  return ERROR_WORDS[delivery.errorCode] ?? delivery.errorCode.replace(/_/g, " ");
}

/** "All events", "Share created", "Share created and 3 more". */
export function eventsSummary(events: AuditEventType[], total: number): string {
  if (events.length >= total) return i18n._(msg`All events`);
  const [first] = events;
  if (first === undefined) return i18n._(msg`No events`);
  const rest = events.length - 1;
  const label = EVENT_LABEL[first];
  return rest === 0
    ? label
    : plural(rest, { one: `${label} and # more`, other: `${label} and # more` });
}
