/**
 * Secret requests (SPEC F6, §3): a member asks for a secret through a link; the first submission
 * fulfils the request, and only the requester can read what was submitted. Never sees Fastify.
 *
 * - Submitted values are encrypted at rest under a per-value data key wrapped by the root key
 *   (lib/data-keys.ts), so a copy of the database alone reads nothing.
 * - Fulfilment (requests.submit.ts) is one conditional UPDATE (requests.repository.ts `fulfil`);
 *   the requester's notification is queued in the same transaction, so it exists exactly when
 *   the value does.
 * - Expiry destroys the request and its value: reads answer 404 by time even before the sweeper
 *   runs, and delete what they find expired.
 * - Everything the requester's side answers for a request it may not see is 404, like a request
 *   that does not exist, so ids of other organizations' requests cannot be probed.
 */
import { randomBytes } from "node:crypto";

import type { Logger } from "pino";

import type { Access } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { transactionsOn, type DatabaseHandle } from "../../db/database.js";
import { AppError, BadRequestError, ConflictError, UnauthorizedError } from "../../errors.js";
import { eraseStoredAnswerChunks } from "../blobs/owner-files.erase.js";
import type { BrandingService } from "../branding/branding.service.js";
import type { PolicyCheck } from "../policies/policies.service.js";
import { presentAccessLog } from "../../lib/access-log.js";
import { openValue, rewrapKey } from "../../lib/data-keys.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import * as peopleRepository from "../../lib/people.js";
import { requestRef } from "../../lib/request-ref.js";
import { hashToken, newToken } from "../../lib/tokens.js";
import type { Member, People } from "../../lib/people.js";
import { SealError } from "../../lib/sealing.js";
import { accessRefusal, requestNotFound } from "./requests.errors.js";
import { createRequestList } from "./requests.list.js";
import { NO_ANSWER } from "./requests.no-answer.js";
import * as repo from "./requests.repository.js";
import type { RequestRow } from "./requests.repository.js";
import {
  checkPublicKey,
  createEndToEnd,
  stillUploading,
  type AnswerFiles,
  type RequestKeyInput,
} from "./requests.e2e.js";
import {
  answerReadyWith,
  createSubmit,
  sealContext,
  type EncryptedAnswer,
  type SubmitDeps,
  type Submitter,
} from "./requests.submit.js";

export { sealContext, valueTooLarge, type Submitter } from "./requests.submit.js";

/** 16 random bytes: 128 bits, 22 base64url characters (RequestId's minimum). */
const ID_BYTES = 16;

export interface RequestsDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  limits: Pick<Config["limits"], "maxSecretBytes" | "maxExpiresIn">;
  publicUrl: string;
  /** The current root key first, then retired ones that may still open older values. */
  rootKeys: readonly Buffer[];
  /** The requester's "request fulfilled" message; absent in setups that send none. */
  mail?: MailQueue;
  logger?: Pick<Logger, "warn">;
  /** Called after a transaction destroyed a value, so SQLite can checkpoint the WAL soon. */
  onDestroyed?: () => void;
  /** The organization's look for the sender's page (SPEC F7). */
  branding?: Pick<BrandingService, "forPublic">;
  /** Addresses of requesters; the SQL of lib/people.ts unless replaced. */
  people?: Pick<People, "managerEmailOf">;
  /** The organization's sharing policy, checked before a member's create (SPEC F16). */
  policies?: Pick<PolicyCheck, "checkRequest" | "checkFiles">;
  /** Files of answers (features/blobs/request-files.service.ts); absent: answers carry none. */
  files?: AnswerFiles;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createRequestsService(deps: RequestsDeps) {
  const { database, clock, rootKeys } = deps;
  const currentKey = rootKeys[0];
  if (!currentKey) throw new Error("createRequestsService needs a root key");
  const tx = transactionsOn(database);
  // Deleting a request destroys its value and its answer's files: on SQLite such a write may use
  // the disk reserve's room on a full disk, and the answer's chunks still held in main's rows go
  // first, one per write, so the deleting statement fits the reserve (blobs/owner-files.erase.ts).
  const destroy = transactionsOn(database, { destroys: true });
  const eraseFilesFirst = (id: string) => eraseStoredAnswerChunks(database, id);

  /** Deletes a request found past its expiry, so the value goes even before the sweeper runs. */
  async function destroyExpired(id: string, now: number): Promise<void> {
    await eraseFilesFirst(id);
    const gone = await destroy(async (trx) => {
      const deleted = await repo.deleteIfExpired(trx, id, now);
      if (deleted) {
        await repo.addEvents(trx, [
          { requestId: id, type: "expired", at: deleted.expires_at, ip: null },
        ]);
      }
      return deleted !== undefined;
    });
    if (gone) deps.onDestroyed?.();
  }

  /** The request if it exists and has not expired; an expired one is destroyed on the spot. */
  async function findLive(id: string): Promise<RequestRow> {
    const row = await repo.findRequest(database.db, id);
    if (!row) throw requestNotFound();
    const now = clock.now();
    if (row.expires_at <= now) {
      await destroyExpired(id, now);
      throw requestNotFound();
    }
    return row;
  }

  /** The request if `member` may act on it: its requester, or with "requester_or_admin" an org admin. */
  async function managed(id: string, member: Member, who: "requester" | "requester_or_admin") {
    const row = await findLive(id);
    const membership = member.orgs.find((o) => o.id === row.org_id);
    // Leaving the organization ends access to its requests, even one's own.
    const allowed =
      membership !== undefined &&
      (row.requester_id === member.id ||
        (who === "requester_or_admin" && membership.role === "admin"));
    if (!allowed) throw requestNotFound();
    return row;
  }

  const accessError = (userId: string | null, orgId: string | null) =>
    accessRefusal(deps.branding, userId, orgId);

  const endToEnd = createEndToEnd({
    database,
    transact: tx,
    destroy,
    eraseFilesFirst,
    clock,
    findLive,
    onDestroyed: deps.onDestroyed,
    files: deps.files,
    checkFiles: deps.policies?.checkFiles.bind(deps.policies),
  });

  const submitDeps: SubmitDeps = {
    transact: tx,
    repo,
    people: deps.people ?? peopleRepository,
    clock,
    limits: deps.limits,
    currentKey,
    publicUrl: deps.publicUrl,
    mail: deps.mail,
    logger: deps.logger,
    onDestroyed: deps.onDestroyed,
    accessError,
  };
  const submit = createSubmit(submitDeps);

  return {
    /**
     * A request; with `keys` an end-to-end one (§3.2), whose answer only the holder of the
     * reading secret can read. Without an account (`creator.userId` null) it must be end-to-end,
     * and gets a manage token instead of an owner.
     */
    async create(
      input: {
        name?: string | undefined;
        expiresIn: number;
        access: Access;
        keys?: RequestKeyInput | undefined;
      },
      creator: { userId: string | null; orgId: string | null; ip: string | null },
    ) {
      if (input.expiresIn > deps.limits.maxExpiresIn) {
        throw new BadRequestError(
          "invalid_request",
          `expiresIn: must be at most ${deps.limits.maxExpiresIn}`,
        );
      }
      const anonymous = creator.userId === null;
      // Without an account there is no organization whose members could answer.
      if (anonymous && input.access === "organization") {
        throw new UnauthorizedError(
          "login_required",
          "Sign in to limit a request to your organization.",
        );
      }
      if (input.keys) await checkPublicKey(input.keys.publicKey, "publicKey");
      if (creator.orgId !== null) await deps.policies?.checkRequest(creator.orgId, input);
      const manageToken = anonymous ? newToken() : null;
      const id = randomBytes(ID_BYTES).toString("base64url");
      const now = clock.now();
      const expiresAt = now + input.expiresIn * 1000;
      const name = input.name?.trim() ? input.name : null;
      await tx(async (trx) => {
        await repo.insertRequest(trx, {
          id,
          org_id: creator.orgId,
          requester_id: creator.userId,
          name,
          access: input.access,
          created_at: now,
          expires_at: expiresAt,
          public_key: input.keys?.publicKey ?? null,
          encrypted_private_key: input.keys?.encryptedPrivateKey ?? null,
          key_iv: input.keys?.keyIv ?? null,
          read_token_hash: input.keys ? hashToken(input.keys.readToken) : null,
          manage_token_hash: manageToken ? hashToken(manageToken) : null,
          ...NO_ANSWER,
        });
        await repo.addEvents(trx, [
          { requestId: id, type: "created", at: now, ip: creator.ip, userId: creator.userId },
        ]);
      });
      return {
        id,
        ref: requestRef(id),
        url: `${deps.publicUrl}/r/${id}`,
        expiresAt: iso(expiresAt),
        ...(manageToken ? { manageToken } : {}),
      };
    },

    /** What the sender's page shows. Consumes nothing. */
    async metadata(id: string, viewer: { userId: string | null; orgIds: string[] }) {
      const row = await repo.findWithOrg(database.db, id);
      if (!row) throw requestNotFound();
      const now = clock.now();
      if (row.expires_at <= now) {
        await destroyExpired(id, now);
        throw requestNotFound();
      }
      if (
        row.access === "organization" &&
        (row.org_id === null || !viewer.orgIds.includes(row.org_id))
      ) {
        throw await accessError(viewer.userId, row.org_id);
      }
      const branding = row.org_id === null ? null : await deps.branding?.forPublic(row.org_id);
      return {
        id: row.id,
        ...(row.name !== null ? { name: row.name } : {}),
        ...(row.org_name !== null ? { orgName: row.org_name } : {}),
        ...(row.requester_name ? { requesterName: row.requester_name } : {}),
        // Whether it takes an answer: a reserved one is "fulfilled", `uploading` until its files
        // are in (then `open` and the list still say "open": the answer is not readable yet).
        status: row.submitted_at === null ? ("open" as const) : ("fulfilled" as const),
        ...(stillUploading(row) ? { uploading: true } : {}),
        expiresAt: iso(row.expires_at),
        ...(branding ? { branding } : {}),
        ...(row.public_key !== null ? { publicKey: row.public_key } : {}),
      };
    },

    /**
     * Answers a request; an end-to-end answer's ephemeral key must be a P-256 point, and one with
     * `blobs` answers the upload token its files are then sent with (§3.1); the
     * request takes no other answer meanwhile, and counts as answered once they are all in.
     */
    async submit(
      id: string,
      value: string | EncryptedAnswer,
      submitter: Submitter,
    ): Promise<{ uploadToken: string } | null> {
      if (typeof value === "string") {
        await submit(id, value, submitter);
        return null;
      }
      await checkPublicKey(value.ephemeralPublicKey, "ephemeralPublicKey");
      const files = value.blobs?.length ? await endToEnd.prepareFiles(id, value.blobs) : null;
      await submit(id, value, submitter, files);
      return files ? { uploadToken: files.uploadToken } : null;
    },

    /** The last chunk of an answer's files arrived (in its transaction): tell the requester. */
    answerReady: answerReadyWith(submitDeps),
    ...endToEnd,

    /** The organization's requests: a member's own, or every member's for an admin. */
    list: createRequestList({ database, clock }),

    /**
     * The submitted value, for the requester only. Each reveal is recorded before the value
     * leaves. A value still wrapped by a retired root key is re-wrapped by the current one.
     */
    async reveal(id: string, member: Member, ip: string | null) {
      const row = await managed(id, member, "requester");
      // An end-to-end answer is not the server's to open: say where it opens, rather than
      // "nothing submitted", which is false once it is answered.
      if (row.public_key !== null) {
        throw new BadRequestError(
          "answer_kind_mismatch",
          "This request is end-to-end: its answer opens only with the reading link (POST /api/v1/requests/{id}/open with its readToken), not here.",
        );
      }
      if (row.submitted_at === null || row.value_sealed === null || row.wrapped_key === null) {
        throw new ConflictError(
          "request_not_fulfilled",
          "Nothing has been submitted to this request yet.",
        );
      }
      let value: string;
      try {
        value = openValue(
          rootKeys,
          { value: row.value_sealed, wrappedKey: row.wrapped_key },
          sealContext(id),
        );
      } catch (error) {
        if (error instanceof SealError) {
          throw new AppError(
            500,
            error.code === "sealed_unknown_key" ? "root_key_missing" : "value_unreadable",
            error.code === "sealed_unknown_key"
              ? `This value was encrypted under root key ${row.key_id ?? "?"}, which this server is not configured with. Ask the operator to add it to HUSHLINK_PREVIOUS_ROOT_KEYS.`
              : "This value cannot be decrypted: it was changed in the database.",
          );
        }
        throw error;
      }
      const now = clock.now();
      await tx(async (trx) => {
        await repo.addEvents(trx, [
          { requestId: id, type: "revealed", at: now, ip, userId: member.id },
        ]);
        const rewrapped = rewrapKey(rootKeys, row.wrapped_key ?? "", sealContext(id));
        if (rewrapped) {
          await repo.replaceWrappedKey(trx, {
            id,
            from: row.wrapped_key ?? "",
            to: rewrapped.wrappedKey,
            keyId: rewrapped.keyId,
          });
        }
      });
      return { value, submittedAt: iso(row.submitted_at) };
    },

    /** Deletes the request and its value: the requester or an admin of its organization. */
    async remove(id: string, member: Member, ip: string | null): Promise<void> {
      await managed(id, member, "requester_or_admin");
      await eraseFilesFirst(id);
      const now = clock.now();
      const deleted = await destroy(async (trx) => {
        if (!(await repo.deleteRequest(trx, id))) return false;
        await repo.addEvents(trx, [
          { requestId: id, type: "deleted", at: now, ip, userId: member.id },
        ]);
        return true;
      });
      if (!deleted) throw requestNotFound();
      deps.onDestroyed?.();
    },

    /** The request's audit trail: its requester or an admin of its organization. */
    async events(id: string, member: Member) {
      await managed(id, member, "requester_or_admin");
      return presentAccessLog(await repo.listEvents(database.db, id));
    },
  };
}

export type RequestsService = ReturnType<typeof createRequestsService>;
