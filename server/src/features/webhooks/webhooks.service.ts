/**
 * Webhook endpoints of an organization (SPEC F18): admins add, list and remove them, send a test,
 * and read each one's delivery log. enqueue() is called by the audit log inside the transaction
 * that appends an entry, so every audited event is queued for each endpoint that wants it exactly
 * once, whichever instance recorded it, and only if the entry itself committed. Adding an
 * endpoint or pointing one at a new URL needs a recent proof of identity (recent-proof.ts): it
 * sends the organization's events to an outside address, which a stolen admin session must not
 * choose alone.
 */
import { isIP } from "node:net";

import type { Kysely } from "kysely";

import {
  type AuditEntry,
  type CreatedWebhook,
  type CreateWebhookBody,
  type UpdateWebhookBody,
  type Webhook,
  type WebhookDelivery,
  type WebhookFormat,
  type WebhookListItem,
} from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Database } from "../../db/schema.js";
import type { DatabaseHandle } from "../../db/database.js";
import { BadRequestError, NotFoundError } from "../../errors.js";
import { targetName } from "../../lib/owners.js";
import { openWithRootKey, sealWithRootKey } from "../../lib/sealing.js";
import { newId } from "../../lib/tokens.js";
import { hostOf, isLoopbackName, isPublicAddress, type Resolve } from "./webhooks.http.js";
import { bodyFor, type PayloadEvent } from "./webhooks.payload.js";
import type { ProofCaller, RecentProof } from "../auth/recent-proof.js";
import * as repo from "./webhooks.repository.js";
import { newSigningSecret } from "./webhooks.signing.js";

const LOG_LENGTH = 100;

const secretAad = (id: string) => `hushlink/webhook_endpoints/${id}/secret`;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
export const deliveryId = () => `msg_${newId().replace(/-/g, "")}`;

function present(row: repo.EndpointRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as Webhook["events"],
    format: row.format as WebhookFormat,
    includeShareNames: Number(row.include_names) === 1,
    enabled: Number(row.enabled) === 1,
    ...(row.paused_reason === "creator_not_admin" ? { pausedReason: row.paused_reason } : {}),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

function presentDelivery(row: repo.DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    type: row.type as WebhookDelivery["type"],
    status: row.status,
    attempts: Number(row.attempts),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    lastAttemptAt: iso(row.last_attempt_at),
    nextAttemptAt: row.status === "pending" ? iso(row.next_attempt_at) : null,
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    errorCode: row.last_error_code,
  };
}

const badUrl = (why: string) =>
  new BadRequestError("invalid_webhook_url", `The webhook URL is not allowed: ${why}.`);

export function createWebhooksService(deps: {
  database: Pick<DatabaseHandle, "db">;
  clock: Clock;
  /** The current root key first; retired ones still open older secrets. */
  rootKeys: readonly Buffer[];
  allowPrivate: boolean;
  resolve: Resolve;
  /** Called after something was queued and committed: the worker sends it at once. */
  onQueued?: () => void;
  proof: Pick<RecentProof, "requireRecentProof">;
}) {
  const { database, clock } = deps;
  const currentKey = deps.rootKeys[0];
  if (!currentKey) throw new Error("webhooks need a root key");

  /** HTTPS to a public address; HTTP and private addresses only when allowed (SPEC F18). */
  async function checkUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badUrl("it is not a URL");
    }
    if (url.protocol !== "https:" && !(deps.allowPrivate && url.protocol === "http:"))
      throw badUrl(deps.allowPrivate ? "use https:// or http://" : "use https://");
    if (url.username || url.password) throw badUrl("it carries a user name or password");
    if (url.hash) throw badUrl("it has a #fragment");
    if (!deps.allowPrivate) {
      // Checked again at every delivery; this only tells the admin early.
      const host = hostOf(url);
      if (isLoopbackName(host)) throw badUrl("it names a private, loopback or link-local address");
      const addresses = isIP(host) ? [{ address: host }] : await deps.resolve(host).catch(() => []);
      if (addresses.some((a) => !isPublicAddress(a.address)))
        throw badUrl("it names a private, loopback or link-local address");
    }
    return url.href;
  }

  async function endpointOf(orgId: string, id: string) {
    const row = await repo.endpoint(database.db, orgId, id);
    if (!row) throw new NotFoundError("webhook_not_found", "No such webhook endpoint.");
    return row;
  }

  return {
    async create(
      orgId: string,
      body: Omit<CreateWebhookBody, "password">,
      caller: ProofCaller,
    ): Promise<CreatedWebhook> {
      await deps.proof.requireRecentProof(caller);
      const url = await checkUrl(body.url);
      const id = newId();
      const secret = newSigningSecret();
      const row = {
        id,
        org_id: orgId,
        url,
        events: JSON.stringify([...new Set(body.events)]),
        format: body.format,
        include_names: body.includeShareNames ? 1 : 0,
        secret: sealWithRootKey(currentKey, secret, secretAad(id)),
        created_at: clock.now(),
        enabled: 1,
        created_by: caller.user.id,
        paused_reason: null,
      };
      await repo.insertEndpoint(database.db, row);
      return { ...present(row), secret };
    },

    /** Each endpoint with its newest delivery (one small query each: organizations have few). */
    async list(orgId: string): Promise<WebhookListItem[]> {
      const rows = await repo.endpointsOf(database.db, orgId);
      return Promise.all(
        rows.map(async (row) => {
          const [last] = await repo.deliveriesOf(database.db, row.id, 1);
          return { ...present(row), lastDelivery: last ? presentDelivery(last) : null };
        }),
      );
    },

    /**
     * Changes the fields given (one UPDATE); the secret and the delivery log stay. A URL other
     * than the stored one needs the proof; the same URL sent back (forms send every field) and
     * the other fields do not: they only choose what goes to an address already approved.
     */
    async update(
      orgId: string,
      id: string,
      body: Omit<UpdateWebhookBody, "password">,
      caller: ProofCaller,
    ): Promise<Webhook> {
      const set: Parameters<typeof repo.updateEndpoint>[3] = {};
      if (body.url !== undefined) {
        const url = await checkUrl(body.url);
        if (url !== (await endpointOf(orgId, id)).url) {
          await deps.proof.requireRecentProof(caller);
          set.url = url;
        }
      }
      if (body.events !== undefined) set.events = JSON.stringify([...new Set(body.events)]);
      if (body.format !== undefined) set.format = body.format;
      if (body.includeShareNames !== undefined) set.include_names = body.includeShareNames ? 1 : 0;
      if (body.enabled !== undefined) set.enabled = body.enabled ? 1 : 0;
      // Paused because its owner is no longer an admin: resuming it approves where it sends the
      // organization's events, as adding it did, and the admin who resumes it owns it from now.
      if (body.enabled && (await endpointOf(orgId, id)).paused_reason !== null) {
        await deps.proof.requireRecentProof(caller);
        Object.assign(set, { created_by: caller.user.id, paused_reason: null });
      }
      if (!(await repo.updateEndpoint(database.db, orgId, id, set)))
        throw new NotFoundError("webhook_not_found", "No such webhook endpoint.");
      return present(await endpointOf(orgId, id));
    },

    /**
     * In the transaction that ends `userId`'s admin role in `orgId` (or, without one, every
     * membership: the account's deletion): their endpoints are paused, so nothing after the
     * change reaches an address someone outside the organization's admins chose.
     */
    async pauseOwnedBy(trx: Kysely<Database>, userId: string, orgId?: string): Promise<void> {
      await repo.pauseOwnedBy(trx, { userId, orgId });
    },

    async remove(orgId: string, id: string): Promise<void> {
      if (!(await repo.deleteEndpoint(database.db, orgId, id)))
        throw new NotFoundError("webhook_not_found", "No such webhook endpoint.");
    },

    /** Queues a `webhook.test` delivery to one endpoint; its id shows in the delivery log. */
    async test(
      orgId: string,
      id: string,
      actor: PayloadEvent["actor"],
    ): Promise<{ deliveryId: string }> {
      const row = await endpointOf(orgId, id);
      const now = clock.now();
      const event = {
        type: "webhook.test" as const,
        org: orgId,
        at: new Date(now).toISOString(),
        actor,
        ip: null,
        target: null,
        outcome: "success" as const,
      };
      const queued = deliveryId();
      await repo.insertDeliveries(database.db, [
        repo.pendingDelivery({
          id: queued,
          endpointId: row.id,
          type: event.type,
          payload: bodyFor(row.format as WebhookFormat, event, undefined),
          now,
        }),
      ]);
      deps.onQueued?.();
      return { deliveryId: queued };
    },

    async deliveries(orgId: string, id: string): Promise<WebhookDelivery[]> {
      const row = await endpointOf(orgId, id);
      return (await repo.deliveriesOf(database.db, row.id, LOG_LENGTH)).map(presentDelivery);
    },

    /**
     * Queues the entry for every endpoint of its organization that picked its type, with `trx`:
     * the audit append's transaction. Returns how many were queued (the caller kicks the worker
     * after its commit when any were). `subject`: the entry's target as the server knows it (a
     * request by its id, where the entry has its reference), to look its name up.
     */
    async enqueue(
      trx: Kysely<Database>,
      entry: AuditEntry,
      subject: AuditEntry["target"],
    ): Promise<number> {
      const wanted = (await repo.endpointsOf(trx, entry.org)).filter(
        (e) => Number(e.enabled) === 1 && (JSON.parse(e.events) as string[]).includes(entry.type),
      );
      if (wanted.length === 0) return 0;
      const name = wanted.some((e) => Number(e.include_names) === 1)
        ? await targetName(trx, subject)
        : undefined;
      const now = clock.now();
      await repo.insertDeliveries(
        trx,
        wanted.map((e) =>
          repo.pendingDelivery({
            id: deliveryId(),
            endpointId: e.id,
            type: entry.type,
            payload: bodyFor(
              e.format as WebhookFormat,
              entry,
              Number(e.include_names) === 1 ? name : undefined,
            ),
            now,
          }),
        ),
      );
      return wanted.length;
    },

    /** The endpoint's signing secret, for the worker. */
    secretOf(endpoint: { id: string; secret: string }): string {
      return openWithRootKey(deps.rootKeys, endpoint.secret, secretAad(endpoint.id));
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
