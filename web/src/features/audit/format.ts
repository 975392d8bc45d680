/** Words for audit entries: when, who, on what. */
import type { AuditEntry, AuditVia, Member } from "@hushlink/protocol";

const withSeconds = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  second: "2-digit",
});

/** "3 Dec 2026, 08:41:07" in the reader's locale and zone: an audit trail wants the seconds. */
export function formatAuditTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : withSeconds.format(date);
}

export const VIA_LABEL: Record<AuditVia, string> = {
  invitation: "by invitation",
  invited_signup: "signed up from an invitation",
  totp: "with an authenticator code",
  recovery_code: "with a recovery code",
  passkey: "with a passkey",
};

export const TARGET_LABEL: Record<NonNullable<AuditEntry["target"]>["kind"], string> = {
  share: "Share",
  request: "Request",
  user: "Account",
  invitation: "Invitation",
  token: "API token",
  org: "Organization",
  webhook: "Webhook",
  passkey: "Passkey",
};

/** A member's name and address, or the address alone. */
export const memberLabel = (member: Member) =>
  member.name ? `${member.name} (${member.email})` : member.email;

/** The people an entry names, by user id: the current members (anyone else shows by id). */
export type People = ReadonlyMap<string, Member>;

export function personLabel(people: People, userId: string): string {
  const member = people.get(userId);
  return member ? memberLabel(member) : `User ${userId.slice(0, 8)}…`;
}
