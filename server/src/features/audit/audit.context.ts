/**
 * Who is calling, for audit entries: the request in progress, kept in an AsyncLocalStorage from
 * its first hook, so an event recorded anywhere below a route (audit.wiring.ts) carries the
 * caller and their address without every service passing them along. Read when the event is
 * recorded, after authentication has run.
 */
import { AsyncLocalStorage } from "node:async_hooks";

import type { FastifyInstance, FastifyRequest } from "fastify";

import type { AuditActor } from "@hushlink/protocol";

const current = new AsyncLocalStorage<FastifyRequest>();

export function registerAuditContext(app: FastifyInstance) {
  app.addHook("onRequest", (request, _reply, done) => {
    current.run(request, done);
  });
}

/** The caller of the request in progress; anonymous with no address outside a request. */
export function currentCaller(): { actor: AuditActor; ip: string | null } {
  const request = current.getStore();
  if (!request) return { actor: { kind: "anonymous", id: null }, ip: null };
  const auth = request.auth;
  const actor: AuditActor = auth
    ? { kind: auth.via === "token" ? "token" : "user", id: auth.user.id }
    : { kind: "anonymous", id: null };
  return { actor, ip: request.ip };
}
