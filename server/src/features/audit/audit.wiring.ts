/**
 * Where the events come from: each feature's service, decorated in app.ts so that a call that
 * succeeded (or failed, where a failure is the event) records its entry once it has committed.
 * Nothing inside the features changes, so their transactions stay as short as they were; each
 * decorated method takes the request first, which gives the entry its caller and address
 * (audit.tap.ts), and the routes are given the decorated service (its type is exported below).
 */
import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";
import type { AuditEvent, AuditSink } from "../../lib/audit-sink.js";
import { codeOf } from "../../lib/error-code.js";
import { orgsOf } from "../../lib/owners.js";
import type { BrandingService } from "../branding/branding.service.js";
import type { OrgsService } from "../orgs/orgs.service.js";
import type { PoliciesService } from "../policies/policies.service.js";
import type { RequestsService } from "../requests/requests.service.js";
import { orgOfRevealed } from "../shares/shares.reveal.js";
import type { SharesService } from "../shares/shares.service.js";
import type { SsoService } from "../sso/sso.service.js";
import type { TokensService } from "../tokens/tokens.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { callerOf, created, detailsOf, orgChanged, share, tap, user } from "./audit.tap.js";

export { auditAuth, type AuditedAuth } from "./audit.wiring.auth.js";

/** A wrong password (and the lock it may cause) or a wrong e-mailed code, as a reveal answered. */
function wrongGuesses(id: string, error: unknown): AuditEvent[] {
  const base = { org: { ofShare: id }, target: share(id), outcome: "failure" as const };
  // A recipient's link (issue 19): the organization is its share's, read from the link's row.
  if (codeOf(error) === "wrong_email_code") return [{ ...base, type: "share.wrong_email_code" }];
  if (codeOf(error) !== "wrong_password") return [];
  const wrong: AuditEvent = { ...base, type: "share.wrong_password" };
  // The attempt that used the last one destroyed the share.
  return detailsOf(error).attemptsRemaining === 0
    ? [wrong, { ...base, type: "share.locked" }]
    : [wrong];
}

export function auditShares(shares: SharesService, sink: AuditSink) {
  const deleted = ([id]: [string, ...unknown[]]): AuditEvent => ({
    type: "share.deleted",
    org: { ofShare: id },
    target: share(id),
  });
  return {
    ...shares,
    create: tap(sink, shares.create.bind(shares), { ok: created("share.created", share) }),
    reveal: tap(sink, shares.reveal.bind(shares), {
      // The reveal says whose share it was: no lookup on the hot path, none for anonymous ones.
      ok: ([id], answer) => {
        const org = orgOfRevealed(answer);
        return org === null
          ? null
          : { type: "share.revealed", org: org ?? { ofShare: id }, target: share(id) };
      },
      failed: ([id], error) => wrongGuesses(id, error),
    }),
    deleteAsMember: tap(sink, shares.deleteAsMember.bind(shares), { ok: deleted }),
    // A link holder's delete checks the password and the e-mailed code as a reveal does.
    deleteWithToken: tap(sink, shares.deleteWithToken.bind(shares), {
      ok: deleted,
      failed: ([id], error) => wrongGuesses(id, error),
    }),
    // "Delete all expired": one entry per share it removed.
    deleteExpired: tap(sink, shares.deleteExpired.bind(shares), {
      ok: ([orgId], { ids }) =>
        ids.map((id) => ({ type: "share.deleted" as const, org: orgId, target: share(id) })),
    }),
    // One recipient's link taken back; the target is the share the sender sees.
    revokeRecipient: tap(sink, shares.revokeRecipient.bind(shares), {
      ok: ([id]) => ({ type: "share.revoked", org: { ofShare: id }, target: share(id) }),
    }),
  };
}

export function auditRequests(requests: RequestsService, sink: AuditSink, db: Kysely<Database>) {
  const target = (id: string) => ({ kind: "request" as const, id });
  return {
    ...requests,
    create: tap(sink, requests.create.bind(requests), { ok: created("request.created", target) }),
    submit: tap(sink, requests.submit.bind(requests), {
      ok: ([id]) => ({ type: "request.answered", org: { ofRequest: id }, target: target(id) }),
    }),
    // The requester reading a server-encrypted answer.
    reveal: tap(sink, requests.reveal.bind(requests), {
      ok: ([id]) => ({ type: "request.opened", org: { ofRequest: id }, target: target(id) }),
    }),
    // The holder of the reading link taking an end-to-end answer (not an open before one).
    open: tap(sink, requests.open.bind(requests), {
      ok: ([id], opened) =>
        opened.status === "fulfilled"
          ? { type: "request.opened", org: { ofRequest: id }, target: target(id) }
          : null,
    }),
    // The row goes with the delete: its organization is read first.
    remove: tap(sink, requests.remove.bind(requests), {
      before: ([id]) => orgsOf(db, { ofRequest: id }),
      ok: ([id], _done, orgs) => ({
        type: "request.deleted",
        org: orgs?.[0] ?? null,
        target: target(id),
      }),
    }),
  };
}

export function auditOrgs(orgs: OrgsService, sink: AuditSink) {
  return {
    ...orgs,
    invite: tap(sink, orgs.invite.bind(orgs), {
      ok: ([args], created) => ({
        type: "member.invited",
        org: args.orgId,
        target: { kind: "invitation", id: created.id },
      }),
    }),
    accept: tap(sink, orgs.accept.bind(orgs), {
      ok: ([, joiner], joined) => ({
        type: "member.joined",
        org: joined.orgId,
        target: user(joiner.id),
        via: "invitation",
      }),
    }),
    removeMember: tap(sink, orgs.removeMember.bind(orgs), {
      ok: ([orgId, userId], _done, _prior, from) => ({
        type: callerOf(from).actor.id === userId ? "member.left" : "member.removed",
        org: orgId,
        target: user(userId),
      }),
    }),
    setRole: tap(sink, orgs.setRole.bind(orgs), {
      ok: ([orgId, userId]) => ({ type: "member.role_changed", org: orgId, target: user(userId) }),
    }),
  };
}

export function auditTokens(tokens: TokensService, sink: AuditSink) {
  const target = (id: string) => ({ kind: "token" as const, id });
  return {
    ...tokens,
    create: tap(sink, tokens.create.bind(tokens), {
      ok: ([caller], created) => ({
        type: "token.created",
        org: { ofUser: caller.user.id },
        target: target(created.id),
      }),
    }),
    revoke: tap(sink, tokens.revoke.bind(tokens), {
      ok: ([userId, id]) => ({
        type: "token.revoked",
        org: { ofUser: userId },
        target: target(id),
      }),
    }),
  };
}

export function auditBranding(branding: BrandingService, sink: AuditSink) {
  const changed = orgChanged("branding.changed");
  return {
    ...branding,
    update: tap(sink, branding.update.bind(branding), { ok: changed }),
    setLogo: tap(sink, branding.setLogo.bind(branding), { ok: changed }),
    removeLogo: tap(sink, branding.removeLogo.bind(branding), { ok: changed }),
  };
}

const ssoChanged = orgChanged("sso.settings_changed");

export function auditSso(sso: SsoService, sink: AuditSink) {
  return {
    ...sso,
    update: tap(sink, sso.update.bind(sso), { ok: ssoChanged }),
    // A proven domain changes where sign-ins go, as the settings do: for the organization that
    // proved it, and for the one it moved from, whose admins learn of it from their log.
    verifyDomain: tap(sink, sso.verifyDomain.bind(sso), {
      ok: (args, outcome) => [
        ssoChanged(args),
        ...(outcome.movedFrom === null ? [] : [ssoChanged([outcome.movedFrom])]),
      ],
    }),
    // A refused callback is an answer, not an error: both outcomes are recorded from it. One
    // whose state said no organization (forged, replayed, expired) belongs to no log.
    callback: tap(sink, sso.callback.bind(sso), {
      ok: (_args, outcome) =>
        outcome.ok
          ? {
              type: "sso.signin_succeeded",
              org: outcome.orgId,
              actor: { kind: "user", id: outcome.userId },
              target: user(outcome.userId),
            }
          : outcome.orgId === undefined
            ? null
            : {
                type: "sso.signin_failed",
                org: outcome.orgId,
                actor: { kind: "anonymous", id: null },
                outcome: "failure",
              },
    }),
  };
}

export function auditPolicies(policies: PoliciesService, sink: AuditSink) {
  return {
    ...policies,
    put: tap(sink, policies.put.bind(policies), { ok: orgChanged("policy.changed") }),
  };
}

export function auditWebhooks(webhooks: WebhooksService, sink: AuditSink) {
  const target = (id: string) => ({ kind: "webhook" as const, id });
  return {
    ...webhooks,
    create: tap(sink, webhooks.create.bind(webhooks), {
      ok: ([orgId], created) => ({
        type: "webhook.created",
        org: orgId,
        target: target(created.id),
      }),
    }),
    update: tap(sink, webhooks.update.bind(webhooks), {
      ok: ([orgId, id]) => ({ type: "webhook.changed", org: orgId, target: target(id) }),
    }),
    remove: tap(sink, webhooks.remove.bind(webhooks), {
      ok: ([orgId, id]) => ({ type: "webhook.deleted", org: orgId, target: target(id) }),
    }),
  };
}

export type AuditedShares = ReturnType<typeof auditShares>;
export type AuditedRequests = ReturnType<typeof auditRequests>;
export type AuditedOrgs = ReturnType<typeof auditOrgs>;
export type AuditedTokens = ReturnType<typeof auditTokens>;
export type AuditedBranding = ReturnType<typeof auditBranding>;
export type AuditedSso = ReturnType<typeof auditSso>;
export type AuditedPolicies = ReturnType<typeof auditPolicies>;
export type AuditedWebhooks = ReturnType<typeof auditWebhooks>;
