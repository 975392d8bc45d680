/** Webhook endpoints and their deliveries (features/webhooks). */
import type { Generated } from "kysely";

/** Webhook endpoints (features/webhooks); the secret is sealed with the root key. */
export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  /** JSON array of audit event types. */
  events: string;
  format: string;
  include_names: number;
  secret: string;
  created_at: number;
  /** 1, or 0 while paused (by an admin, or by the server: `paused_reason`). */
  enabled: number;
  /** The admin who added it, or resumed it since; null for older endpoints of unknown origin. */
  created_by: string | null;
  /** Why the server paused it: `creator_not_admin`; null while it runs or an admin paused it. */
  paused_reason: string | null;
}

/** Webhook outbox and delivery log (features/webhooks). */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  type: string;
  /** The JSON body as it was built at the event; never secret material (webhooks.payload.ts). */
  payload: string;
  status: "pending" | "delivered" | "failed";
  attempts: Generated<number>;
  next_attempt_at: number | null;
  locked_until: number | null;
  claim_token: string | null;
  created_at: number;
  last_attempt_at: number | null;
  response_status: number | null;
  last_error_code: string | null;
}
