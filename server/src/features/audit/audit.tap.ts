/**
 * The decorator every audited service method goes through (audit.wiring.ts and
 * audit.wiring.auth.ts): the feature's call runs as it was, and its events are recorded after it
 * settled, so they describe what committed.
 *
 * The route hands the decorated call its request as a first argument, and the caller (who, from
 * what address) is read from it only when an event is recorded. It was an AsyncLocalStorage
 * entered on every request, which on Node 20 runs promise hooks for every promise in the process
 * from then on (issue 24: 0.78x metadata CPU without it). Nothing keeps the request past the call:
 * a failure's entries recorded in the background hold its caller, not the request and its body
 * (issue 17: server memory during transfers).
 */
import type { FastifyRequest } from "fastify";

import type { AuditActor, AuditEventType, AuditTarget } from "@hushlink/protocol";

import type { AuditEvent, AuditSink, Caller } from "../../lib/audit-sink.js";

/** What the caller is read from: a request, after authentication has run. */
export type From = Pick<FastifyRequest, "auth" | "ip">;

export function callerOf(from: From): Caller {
  const auth = from.auth;
  const actor: AuditActor = auth
    ? { kind: auth.via === "token" ? "token" : "user", id: auth.user.id }
    : { kind: "anonymous", id: null };
  return { actor, ip: from.ip };
}

export type Events<A extends unknown[], R, P> = {
  /** What must be read before the call, because the call removes it (a request's organization). */
  before?: (args: A) => Promise<P>;
  ok?: (args: A, result: R, prior: P | undefined, from: From) => AuditEvent | AuditEvent[] | null;
  failed?: (args: A, error: unknown, prior: P | undefined) => AuditEvent[];
  /**
   * Record a failure's events without waiting for them: a failed sign-in is logged only for an
   * address that has an account, and waiting would let the answer's time tell which do.
   */
  failedInBackground?: boolean;
};

/** A service method as its routes call it: the request first, then the method's own arguments. */
export type Tapped<A extends unknown[], R> = (from: From, ...args: A) => Promise<R>;

/**
 * `fn` (bound to its service: some methods call their siblings through `this`), recording its
 * events after it settles; its answer or error passes through as it was.
 */
export function tap<A extends unknown[], R, P = undefined>(
  sink: AuditSink,
  fn: (...args: A) => Promise<R>,
  events: Events<A, R, P>,
): Tapped<A, R> {
  return async (from, ...args) => {
    // Only the few with something to read first await it: an await of nothing is still a
    // promise and a microtask turn on every audited call (issue 24, fifteenth round).
    const prior = events.before ? await events.before(args) : undefined;
    let result: R;
    try {
      result = await fn(...args);
    } catch (error) {
      const failed = logged(events.failed?.(args, error, prior) ?? null);
      if (failed.length > 0) {
        const recorded = recordAll(sink, failed, callerOf(from));
        if (!events.failedInBackground) await recorded;
      }
      throw error;
    }
    const done = logged(events.ok?.(args, result, prior, from) ?? null);
    if (done.length > 0) await recordAll(sink, done, callerOf(from));
    return result;
  };
}

/**
 * The events that belong to a log: one of no organization (a share made signed out) is dropped
 * here, so the anonymous hot paths make no call, promise or caller for it.
 */
function logged(events: AuditEvent | AuditEvent[] | null): readonly AuditEvent[] {
  if (events === null) return NONE;
  if (!Array.isArray(events)) return events.org === null ? NONE : [events];
  return events.filter((event) => event.org !== null);
}

const NONE: readonly AuditEvent[] = [];

/** One after the other, so a chain's entries keep the order of the events. */
async function recordAll(sink: AuditSink, events: readonly AuditEvent[], caller: Caller) {
  for (const event of events) await sink.record(event, caller);
}

export const detailsOf = (error: unknown): Record<string, unknown> =>
  error !== null && typeof error === "object" && "details" in error
    ? (error.details as Record<string, unknown>)
    : {};

export const share = (id: string) => ({ kind: "share" as const, id });
export const user = (id: string) => ({ kind: "user" as const, id });

/**
 * The event of something a caller made (a share, a request): its creator, the call's second
 * argument, says for which organization and from what address.
 */
export const created =
  (type: AuditEventType, target: (id: string) => AuditTarget) =>
  <A extends [unknown, { orgId: string | null; ip: string | null }, ...unknown[]]>(
    [, creator]: A,
    made: { id: string },
  ): AuditEvent => ({ type, org: creator.orgId, ip: creator.ip, target: target(made.id) });

/** The event of an organization's settings changed (branding, SSO, policy): its id comes first. */
export const orgChanged =
  (type: AuditEventType) =>
  ([orgId]: [string, ...unknown[]]): AuditEvent => ({
    type,
    org: orgId,
    target: { kind: "org", id: orgId },
  });
