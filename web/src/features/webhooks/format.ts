/** Words for webhook endpoints and their deliveries. */
import type { AuditEventType } from "@hushlink/protocol";

import { EVENT_LABEL } from "../audit/event-types";
import type { WebhookDelivery, WebhookFormat } from "./api";

export const FORMAT_LABEL: Record<WebhookFormat, string> = {
  standard: "Standard",
  slack: "Slack",
};

export const DELIVERY_STATUS: Record<
  WebhookDelivery["status"],
  { label: string; tone: "success" | "danger" | "muted" }
> = {
  delivered: { label: "Delivered", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  pending: { label: "Pending", tone: "muted" },
};

/** Why the last attempt failed (the worker's codes), in words. */
const ERROR_WORDS: Record<string, string> = {
  dns_failed: "the host name did not resolve",
  address_refused: "refused: a private, loopback or link-local address",
  redirect_refused: "answered with a redirect, which is not followed",
  timeout: "no answer within 10 seconds",
  tls_failed: "the TLS connection failed",
  connect_failed: "could not connect",
};

/** The receiver's answer to the last attempt: "HTTP 204", "HTTP 500", or why there was none. */
export function deliveryAnswer(delivery: WebhookDelivery): string | null {
  if (delivery.responseStatus !== null) return `HTTP ${delivery.responseStatus}`;
  if (delivery.errorCode === null) return null;
  return ERROR_WORDS[delivery.errorCode] ?? delivery.errorCode.replace(/_/g, " ");
}

/** "All events", "Share created", "Share created and 3 more". */
export function eventsSummary(events: AuditEventType[], total: number): string {
  if (events.length >= total) return "All events";
  const [first] = events;
  if (first === undefined) return "No events";
  const rest = events.length - 1;
  return rest === 0 ? EVENT_LABEL[first] : `${EVENT_LABEL[first]} and ${rest} more`;
}
