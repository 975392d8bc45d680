/**
 * The audit log's event types in words, grouped as people look for them. Shared by the Audit
 * tab's filter and the Webhooks tab's event picker. `Record<AuditEventType, …>` makes a type the
 * protocol adds without a label here fail `tsc -p web`.
 */
import type { AuditEventType } from "@hushlink/protocol";

export const EVENT_LABEL: Record<AuditEventType, string> = {
  "share.created": "Share created",
  "share.revealed": "Share revealed",
  "share.wrong_password": "Wrong share password",
  "share.wrong_email_code": "Wrong e-mailed code",
  "share.locked": "Share locked",
  "share.deleted": "Share deleted",
  "share.expired": "Share expired",
  "share.revoked": "Recipient link revoked",
  "request.created": "Request created",
  "request.answered": "Request answered",
  "request.opened": "Request answer opened",
  "request.deleted": "Request deleted",
  "member.invited": "Member invited",
  "member.joined": "Member joined",
  "member.left": "Member left",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "member.second_factor_reset": "Member's second factor reset",
  "passkey.added": "Passkey added",
  "passkey.removed": "Passkey removed",
  "signin.succeeded": "Signed in",
  "signin.failed": "Sign-in failed",
  "signin.second_factor_failed": "Wrong second factor",
  "token.created": "API token created",
  "token.revoked": "API token revoked",
  "branding.changed": "Branding changed",
  "sso.signin_succeeded": "Signed in with SSO",
  "sso.signin_failed": "SSO sign-in failed",
  "sso.settings_changed": "SSO settings changed",
  "policy.changed": "Sharing policy changed",
  "security.changed": "Security settings changed",
  "webhook.created": "Webhook added",
  "webhook.changed": "Webhook changed",
  "webhook.deleted": "Webhook deleted",
};

export interface EventGroup {
  label: string;
  types: AuditEventType[];
}

const typesOf = (prefixes: string[]) =>
  (Object.keys(EVENT_LABEL) as AuditEventType[]).filter((type) =>
    prefixes.some((prefix) => type.startsWith(prefix)),
  );

/** Every type in exactly one group, in the protocol's order within each. */
export const EVENT_GROUPS: EventGroup[] = [
  { label: "Shares", types: typesOf(["share."]) },
  { label: "Requests", types: typesOf(["request."]) },
  { label: "Members", types: typesOf(["member."]) },
  { label: "Sign-in", types: typesOf(["signin.", "sso.signin_", "passkey."]) },
  { label: "API tokens", types: typesOf(["token."]) },
  {
    label: "Settings",
    types: typesOf(["branding.", "sso.settings_", "policy.", "security.", "webhook."]),
  },
];

/** A `webhook.test` delivery is not an audit event but shows in the delivery log. */
export const eventLabel = (type: string): string =>
  type === "webhook.test" ? "Test" : (EVENT_LABEL[type as AuditEventType] ?? type);
