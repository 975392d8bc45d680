/**
 * Who is calling, for audit entries: the request in progress, kept in an AsyncLocalStorage from
 * its first hook, so an event recorded anywhere below a route (audit.wiring.ts) carries the
 * caller and their address without every service passing them along. Read when the event is
 * recorded, after authentication has run.
 *
 * The store is a small slot, not the request: every timer, socket timeout and file-system call
 * begun during a request keeps the store of that request for as long as it lives, and a request
 * holds its body (a 1 MiB chunk for a file upload). Once the answer is sent the slot drops the
 * request and keeps only the caller it had (issue 17: server memory during transfers).
 */
import { AsyncLocalStorage } from "node:async_hooks";

import type { FastifyInstance, FastifyRequest } from "fastify";

import type { AuditActor } from "@hushlink/protocol";

type Caller = { actor: AuditActor; ip: string | null };

interface Slot {
  request: FastifyRequest | null;
  caller: Caller;
}

const ANONYMOUS: Caller = { actor: { kind: "anonymous", id: null }, ip: null };

const current = new AsyncLocalStorage<Slot>();
const slots = new WeakMap<FastifyRequest, Slot>();

export function registerAuditContext(app: FastifyInstance) {
  app.addHook("onRequest", (request, _reply, done) => {
    const slot: Slot = { request, caller: ANONYMOUS };
    slots.set(request, slot);
    current.run(slot, done);
  });
  app.addHook("onResponse", (request, _reply, done) => {
    const slot = slots.get(request);
    if (slot?.request) {
      slot.caller = callerOf(slot.request);
      slot.request = null;
    }
    done();
  });
}

function callerOf(request: FastifyRequest): Caller {
  const auth = request.auth;
  const actor: AuditActor = auth
    ? { kind: auth.via === "token" ? "token" : "user", id: auth.user.id }
    : { kind: "anonymous", id: null };
  return { actor, ip: request.ip };
}

/** The caller of the request in progress; anonymous with no address outside a request. */
export function currentCaller(): Caller {
  const slot = current.getStore();
  if (!slot) return ANONYMOUS;
  return slot.request ? callerOf(slot.request) : slot.caller;
}
