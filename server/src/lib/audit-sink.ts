/**
 * What features need from the audit log (SPEC F18): one call per event, after the change it
 * records has committed. features/audit implements it and chains the entry per organization; a
 * feature never sees the chain, the lock or the table.
 */
import type { AuditActor, AuditEventType, AuditTarget, AuditVia } from "@hushlink/protocol";

export interface AuditEvent {
  type: AuditEventType;
  /**
   * The organization whose log gets the entry; `{ ofUser }` or `{ ofEmail }`: every organization
   * of that account (sign-ins and API tokens belong to a person, and each of their organizations'
   * admins should see them); `{ ofShare }`, `{ ofRequest }`: theirs. Resolved by lib/owners.ts. An event of no
   * organization (a share made signed out, a failed sign-in to no account) is not logged.
   */
  org:
    | string
    | { ofUser: string }
    | { ofEmail: string }
    | { ofShare: string }
    | { ofRequest: string }
    | null;
  /** By default the caller the event is recorded for (`record`'s second argument). */
  actor?: AuditActor;
  ip?: string | null;
  target?: AuditTarget | null;
  outcome?: "success" | "failure";
  /** How, where the type does not say (AuditEntry.via). */
  via?: AuditVia;
}

/** Who caused an event: a request's caller and address (features/audit/audit.tap.ts). */
export interface Caller {
  actor: AuditActor;
  ip: string | null;
}

/** The caller of an event no request caused (the sweeper, background jobs). */
export const NO_CALLER: Caller = { actor: { kind: "anonymous", id: null }, ip: null };

export interface AuditSink {
  /**
   * Appends the entry; settles once it is durable. Never throws into the caller's answer. The
   * event's own actor and ip, where it gives them, win over the caller's.
   */
  record(event: AuditEvent, caller?: Caller): Promise<void>;
}

/** For services built without an audit log (unit tests, tools). */
export const noAudit: AuditSink = { record: () => Promise.resolve() };
