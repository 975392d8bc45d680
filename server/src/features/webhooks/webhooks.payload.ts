/**
 * What a delivery says (SPEC F18). Built from the audit entry alone, which holds ids, kinds,
 * times and the caller's address: no link, token, ciphertext, reading secret or code can reach a
 * payload from there. A share's or request's name is added only for an endpoint that asked for it.
 */
import type { AuditEntry, WebhookFormat, WebhookPayload } from "@hushlink/protocol";

export type PayloadEvent = Pick<
  AuditEntry,
  "org" | "seq" | "at" | "type" | "actor" | "ip" | "target" | "outcome" | "via"
>;

export function standardPayload(
  event: PayloadEvent | TestEvent,
  name: string | undefined,
): WebhookPayload {
  return {
    type: event.type,
    timestamp: event.at,
    data: {
      org: event.org,
      seq: "seq" in event ? event.seq : null,
      actor: event.actor,
      ip: event.ip,
      target: event.target,
      outcome: event.outcome,
      ...("via" in event && event.via !== undefined ? { via: event.via } : {}),
      ...(name === undefined ? {} : { name }),
    },
  };
}

export interface TestEvent {
  type: "webhook.test";
  org: string;
  at: string;
  actor: AuditEntry["actor"] | null;
  ip: null;
  target: null;
  outcome: "success";
}

const TITLES: Record<WebhookPayload["type"], string> = {
  "share.created": "Share created",
  "share.revealed": "Share viewed",
  "share.wrong_password": "Wrong password for a share",
  "share.wrong_email_code": "Wrong e-mailed code for a recipient's link",
  "share.locked": "Share locked after wrong passwords",
  "share.deleted": "Share deleted",
  "share.expired": "Share expired",
  "share.revoked": "A recipient's link revoked",
  "request.created": "Request created",
  "request.answered": "Request answered",
  "request.opened": "Request's answer opened",
  "request.deleted": "Request deleted",
  "member.invited": "Member invited",
  "member.joined": "Member joined",
  "member.left": "Member left",
  "member.role_changed": "Member's role changed",
  "member.removed": "Member removed",
  "member.second_factor_reset": "Member's second factor reset",
  "passkey.added": "Passkey added",
  "passkey.removed": "Passkey removed",
  "totp.enabled": "Authenticator app set up",
  "totp.disabled": "Authenticator app turned off",
  "recovery_codes.regenerated": "New recovery codes made",
  "signin.succeeded": "Sign-in",
  "signin.failed": "Failed sign-in",
  "signin.second_factor_failed": "Wrong second factor at sign-in",
  "token.created": "API token created",
  "token.revoked": "API token revoked",
  "branding.changed": "Branding changed",
  "sso.signin_succeeded": "Single sign-on",
  "sso.signin_failed": "Failed single sign-on",
  "sso.settings_changed": "Single sign-on settings changed",
  "policy.changed": "Sharing policy changed",
  "security.changed": "Second-factor requirement changed",
  "webhook.created": "Webhook endpoint added",
  "webhook.changed": "Webhook endpoint changed",
  "webhook.deleted": "Webhook endpoint removed",
  "webhook.test": "Test delivery from Hushlink",
};

/** Slack's mrkdwn treats these as markup; a name is shown as typed, not interpreted. */
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `{text}` for a Slack-compatible incoming webhook: one readable line. */
export function slackPayload(payload: WebhookPayload): { text: string } {
  const { data } = payload;
  const parts = [`*${TITLES[payload.type]}*`];
  if (data.target) {
    const named = data.name === undefined ? "" : ` “${escapeMrkdwn(data.name)}”`;
    parts.push(`${data.target.kind}${named} \`${data.target.id}\``);
  }
  if (data.actor) {
    parts.push(
      data.actor.kind === "anonymous"
        ? "by someone not signed in"
        : `by ${data.actor.kind === "token" ? "an API token of user" : "user"} \`${data.actor.id ?? "?"}\``,
    );
  }
  if (data.ip) parts.push(`from ${data.ip}`);
  if (data.outcome === "failure") parts.push("(failed)");
  parts.push(`at ${payload.timestamp}`);
  return { text: `Hushlink: ${parts.join(" · ")}` };
}

export function bodyFor(
  format: WebhookFormat,
  event: PayloadEvent | TestEvent,
  name: string | undefined,
): string {
  const payload = standardPayload(event, name);
  return JSON.stringify(format === "slack" ? slackPayload(payload) : payload);
}
