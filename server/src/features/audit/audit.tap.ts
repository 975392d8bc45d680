/**
 * The decorator every audited service method goes through (audit.wiring.ts and
 * audit.wiring.auth.ts): the feature's call runs as it was, and its events are recorded after it
 * settled, so they describe what committed.
 */
import type { AuditEvent, AuditSink } from "../../lib/audit-sink.js";

export type Events<A extends unknown[], R, P> = {
  /** What must be read before the call, because the call removes it (a request's organization). */
  before?: (args: A) => Promise<P>;
  ok?: (args: A, result: R, prior: P | undefined) => AuditEvent | AuditEvent[] | null;
  failed?: (args: A, error: unknown, prior: P | undefined) => AuditEvent[];
  /**
   * Record a failure's events without waiting for them: a failed sign-in is logged only for an
   * address that has an account, and waiting would let the answer's time tell which do.
   */
  failedInBackground?: boolean;
};

/**
 * `fn` (bound to its service: some methods call their siblings through `this`), recording its
 * events after it settles; its answer or error passes through as it was.
 */
export function tap<A extends unknown[], R, P = undefined>(
  sink: AuditSink,
  fn: (...args: A) => Promise<R>,
  events: Events<A, R, P>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    const prior = await events.before?.(args);
    let result: R;
    try {
      result = await fn(...args);
    } catch (error) {
      const recorded = (async () => {
        for (const event of events.failed?.(args, error, prior) ?? []) await sink.record(event);
      })();
      if (!events.failedInBackground) await recorded;
      throw error;
    }
    const recorded = events.ok?.(args, result, prior) ?? [];
    for (const event of Array.isArray(recorded) ? recorded : [recorded]) await sink.record(event);
    return result;
  };
}

export const detailsOf = (error: unknown): Record<string, unknown> =>
  error !== null && typeof error === "object" && "details" in error
    ? (error.details as Record<string, unknown>)
    : {};

export const share = (id: string) => ({ kind: "share" as const, id });
export const user = (id: string) => ({ kind: "user" as const, id });
