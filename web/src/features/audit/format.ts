/** Words for audit entries: when, who, on what. */
import type { AuditEntry, AuditVia, Member } from "@hushlink/protocol";
import { msg } from "@lingui/core/macro";

import { activeLocale, i18n } from "../../i18n/i18n";
import { translatedRecord } from "./translated";

/** One formatter per language of the page (they are costly to make). */
const withSeconds = new Map<string, Intl.DateTimeFormat>();
function formatterFor(locale: string): Intl.DateTimeFormat {
  let formatter = withSeconds.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
      second: "2-digit",
    });
    withSeconds.set(locale, formatter);
  }
  return formatter;
}

/** "3 Dec 2026, 08:41:07" in the page's language and the reader's zone: an audit trail wants the seconds. */
export function formatAuditTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : formatterFor(activeLocale()).format(date);
}

export const VIA_LABEL: Record<AuditVia, string> = translatedRecord({
  invitation: msg`by invitation`,
  invited_signup: msg`signed up from an invitation`,
  totp: msg`with an authenticator code`,
  recovery_code: msg`with a recovery code`,
  passkey: msg`with a passkey`,
});

export const TARGET_LABEL: Record<NonNullable<AuditEntry["target"]>["kind"], string> =
  translatedRecord({
    share: msg`Share`,
    request: msg`Request`,
    user: msg`Account`,
    invitation: msg`Invitation`,
    token: msg`API token`,
    org: msg`Organization`,
    webhook: msg`Webhook`,
    passkey: msg`Passkey`,
  });

/** A member's name and address, or the address alone. */
export const memberLabel = (member: Member) =>
  member.name ? `${member.name} (${member.email})` : member.email;

/** The people an entry names, by user id: the current members (anyone else shows by id). */
export type People = ReadonlyMap<string, Member>;

export function personLabel(people: People, userId: string): string {
  const member = people.get(userId);
  if (member) return memberLabel(member);
  const id = userId.slice(0, 8);
  return i18n._(msg`User ${id}…`);
}
