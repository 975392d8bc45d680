/**
 * The audit log's event types in words, grouped as people look for them. Shared by the Audit
 * tab's filter and the Webhooks tab's event picker. `Record<AuditEventType, …>` makes a type the
 * protocol adds without a label here fail `tsc -p web`.
 */
import type { AuditEventType } from "@hushlink/protocol";
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";

import { i18n } from "../../i18n/i18n";
import { translatedRecord } from "./translated";

export const EVENT_LABEL: Record<AuditEventType, string> = translatedRecord({
  "share.created": msg`Share created`,
  "share.revealed": msg`Share revealed`,
  "share.wrong_password": msg`Wrong share password`,
  "share.wrong_email_code": msg`Wrong e-mailed code`,
  "share.locked": msg`Share locked`,
  "share.deleted": msg`Share deleted`,
  "share.expired": msg`Share expired`,
  "share.revoked": msg`Recipient link revoked`,
  "request.created": msg`Request created`,
  "request.answered": msg`Request answered`,
  "request.opened": msg`Request answer opened`,
  "request.deleted": msg`Request deleted`,
  "member.invited": msg`Member invited`,
  "member.joined": msg`Member joined`,
  "member.left": msg`Member left`,
  "member.role_changed": msg`Member role changed`,
  "member.removed": msg`Member removed`,
  "member.second_factor_reset": msg`Member's second factor reset`,
  "passkey.added": msg`Passkey added`,
  "passkey.removed": msg`Passkey removed`,
  "totp.enabled": msg`Authenticator app set up`,
  "totp.disabled": msg`Authenticator app turned off`,
  "recovery_codes.regenerated": msg`New recovery codes made`,
  "signin.succeeded": msg`Signed in`,
  "signin.failed": msg`Sign-in failed`,
  "signin.second_factor_failed": msg`Wrong second factor`,
  "token.created": msg`API token created`,
  "token.revoked": msg`API token revoked`,
  "branding.changed": msg`Branding changed`,
  "sso.signin_succeeded": msg`Signed in with SSO`,
  "sso.signin_failed": msg`SSO sign-in failed`,
  "sso.settings_changed": msg`SSO settings changed`,
  "policy.changed": msg`Sharing policy changed`,
  "security.changed": msg`Security settings changed`,
  "webhook.created": msg`Webhook added`,
  "webhook.changed": msg`Webhook changed`,
  "webhook.deleted": msg`Webhook deleted`,
});

export interface EventGroup {
  /** In the page's language when read. */
  readonly label: string;
  types: AuditEventType[];
}

const group = (label: MessageDescriptor, types: AuditEventType[]): EventGroup => ({
  get label() {
    return i18n._(label);
  },
  types,
});

const typesOf = (prefixes: string[]) =>
  (Object.keys(EVENT_LABEL) as AuditEventType[]).filter((type) =>
    prefixes.some((prefix) => type.startsWith(prefix)),
  );

/** Every type in exactly one group, in the protocol's order within each. */
export const EVENT_GROUPS: EventGroup[] = [
  group(msg`Shares`, typesOf(["share."])),
  group(msg`Requests`, typesOf(["request."])),
  group(msg`Members`, typesOf(["member."])),
  group(msg`Sign-in`, typesOf(["signin.", "sso.signin_", "passkey.", "totp.", "recovery_codes."])),
  group(msg`API tokens`, typesOf(["token."])),
  group(msg`Settings`, typesOf(["branding.", "sso.settings_", "policy.", "security.", "webhook."])),
];

/** A `webhook.test` delivery is not an audit event but shows in the delivery log. */
export const eventLabel = (type: string): string =>
  type === "webhook.test" ? i18n._(msg`Test`) : (EVENT_LABEL[type as AuditEventType] ?? type);
