/**
 * Creating a share (SPEC F1, F2, F4, F12): the checks, then one INSERT; with recipients or files,
 * the deliveries and blobs in the same transaction as the share, or nothing.
 */
import type { Kysely } from "kysely";

import type { Access, CreateShareBody } from "@hushlink/protocol";

import { writeStatement, type Transact } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { AppError, BadRequestError, ConflictError, UnauthorizedError } from "../../errors.js";
import { oneLine } from "../../lib/mail-queue.js";
import { takeMailQuota } from "../../lib/mail-quota.js";
import type { People } from "../../lib/people.js";
import { hashBase64UrlBytes, hashToken, newToken } from "../../lib/tokens.js";
import { checkRecipientLinks, recipientLinkRows } from "./recipient-links.js";
import {
  checkMembers,
  checkRecipients,
  queueDeliveries,
  type Delivery,
} from "./recipients.rules.js";
import * as repo from "./shares.repository.js";
import type { SharesDeps } from "./shares.service.js";

/** The create body after schema validation (defaults applied). */
export type CreateShareInput = Omit<
  CreateShareBody,
  "maxViews" | "access" | "allowExternalRecipients" | "notifyOnView" | "showSender"
> & {
  maxViews: number | null;
  access: Access;
  allowExternalRecipients: boolean;
  notifyOnView: boolean;
  showSender?: boolean;
};

const shareExists = () =>
  new ConflictError(
    "share_exists",
    "A share with this id already exists. Create the share again with a new link.",
  );

export function createCreate(deps: SharesDeps & { people: People; transact: Transact }) {
  const { database, clock, limits, metrics, people, transact } = deps;

  /** The recipients' deliveries, queued in the transaction that inserts the share. */
  async function queueForRecipients(
    trx: Kysely<Database>,
    input: CreateShareInput,
    args: {
      userId: string;
      orgId: string;
      deliveries: Delivery[];
      passwordProtected: boolean;
      expiresAt: number;
      now: number;
    },
  ) {
    if (!deps.mail || args.deliveries.length === 0) return;
    const emails = args.deliveries.map((d) => d.email);
    if (!input.allowExternalRecipients) await checkMembers(trx, people, args.orgId, emails);
    if (deps.mailLimits) {
      const { userId: senderId, now } = args;
      await takeMailQuota(trx, deps.mailLimits, { senderId, recipients: emails, now });
    }
    const sender = await people.senderOf(trx, { userId: args.userId, orgId: args.orgId });
    await queueDeliveries(trx, deps.mail, {
      shareId: input.id,
      deliveries: args.deliveries,
      language: { causedBy: args.userId, orgId: args.orgId },
      publicUrl: deps.publicUrl ?? "",
      orgName: sender?.orgName ? oneLine(sender.orgName) : undefined,
      senderName: oneLine(sender?.name ?? sender?.email ?? "") || undefined,
      expiresAt: args.expiresAt,
      maxViews: input.maxViews,
      passwordProtected: args.passwordProtected,
      now: args.now,
    });
  }

  /**
   * The recipient links bound to an external address (no member of the organization), which ask
   * their viewer for an e-mailed code unless the sender switched codes off (issue 19).
   */
  async function externalLinks(trx: Kysely<Database>, input: CreateShareInput, orgId: string) {
    const links = input.recipientLinks ?? [];
    if (!input.allowExternalRecipients || input.requireEmailCode === false) return new Set();
    const members = await people.membersAmong(
      trx,
      orgId,
      links.map((l) => l.email),
    );
    return new Set(links.filter((l) => !members.has(l.email)).map((l) => l.id));
  }

  return async function create(
    input: CreateShareInput,
    creator: { userId: string | null; orgId: string | null; ip: string | null },
  ) {
    if (input.maxViews !== null && input.maxViews > limits.maxViews) {
      throw new AppError(400, "invalid_request", `maxViews: must be at most ${limits.maxViews}`);
    }
    if (creator.userId === null && (input.access === "organization" || input.notifyOnView)) {
      throw new UnauthorizedError(
        "login_required",
        "Sign in to limit a share to your organization or to be notified.",
      );
    }
    if (input.allowExternalRecipients && input.access === "organization") {
      throw new BadRequestError(
        "invalid_request",
        "External recipients cannot be combined with organization-only access.",
      );
    }
    const links = input.recipientLinks ?? [];
    const recipients = links.length > 0 ? [] : [...new Set(input.recipients ?? [])];
    if ((recipients.length > 0 || links.length > 0) && creator.userId === null) {
      throw new UnauthorizedError("login_required", "Sign in to e-mail a share to recipients.");
    }
    if (links.length > 0) {
      await checkRecipientLinks(input, links, deps.mail);
    } else if (!input.viewToken || !input.ciphertext || !input.iv) {
      throw new BadRequestError(
        "invalid_request",
        "viewToken, ciphertext and iv are required (unless recipientLinks carries them).",
      );
    }
    await checkRecipients(
      {
        recipients,
        allowExternal: input.allowExternalRecipients,
        hasPassword: input.password !== undefined,
        linkSecret: input.delivery?.linkSecret,
        shareId: input.id,
      },
      deps.mail,
    );
    if (creator.orgId !== null && deps.policies) {
      const blobs = input.blobs ?? [];
      await deps.policies.checkShare(creator.orgId, {
        expiresIn: input.expiresIn,
        maxViews: input.maxViews,
        passwordProtected:
          links.length > 0
            ? links.every((link) => link.password !== undefined)
            : input.password !== undefined,
        access: input.access,
        restrictedToRecipients:
          recipients.length + links.length > 0 && !input.allowExternalRecipients,
        allowExternalRecipients: input.allowExternalRecipients,
        // Codes exist only on links of their own (F14); a shared link to outsiders has none.
        externalWithoutCodes:
          input.allowExternalRecipients &&
          (links.length > 0 ? input.requireEmailCode === false : recipients.length > 0),
        fileBytes: blobs.length > 0 ? blobs.reduce((sum, blob) => sum + blob.size, 0) : null,
      });
    }
    const files = deps.files?.prepareCreate(input.blobs, creator) ?? null;
    if (!files && input.blobs && input.blobs.length > 0) {
      throw new BadRequestError("invalid_request", "This server does not take files.");
    }
    const now = clock.now();
    const anonymous = creator.userId === null;
    const manageToken = anonymous ? newToken() : null;
    const expiresAt = now + input.expiresIn * 1000;
    const share = {
      id: input.id,
      org_id: creator.orgId,
      creator_id: creator.userId,
      name: input.name ?? null,
      access: input.access,
      ciphertext: input.ciphertext ?? null,
      iv: input.iv ?? null,
      view_token_hash: input.viewToken ? hashBase64UrlBytes(input.viewToken) : null,
      verifier_hash: input.password ? hashBase64UrlBytes(input.password.verifier) : null,
      kdf_m: input.password?.kdf.m ?? null,
      kdf_t: input.password?.kdf.t ?? null,
      kdf_p: input.password?.kdf.p ?? null,
      manage_token_hash: manageToken ? hashToken(manageToken) : null,
      max_views: input.maxViews,
      password_attempts_left: input.password ? limits.passwordAttempts : null,
      notify_on_view: input.notifyOnView ? 1 : 0,
      allow_external_recipients: input.allowExternalRecipients ? 1 : 0,
      restrict_to_recipients:
        recipients.length + links.length > 0 && !input.allowExternalRecipients ? 1 : 0,
      // Only a member can be named: an anonymous creator has no name to show.
      show_sender: input.showSender && creator.userId !== null && creator.orgId !== null ? 1 : 0,
      created_at: now,
      // Nobody may read an anonymous share's access log, so its creator's address is not kept.
      created_ip: creator.userId === null && creator.orgId === null ? null : creator.ip,
      expires_at: expiresAt,
      ...files?.columns,
    };
    const { userId, orgId } = creator;
    const perLink =
      links.length > 0 ? recipientLinkRows(share, links, limits.passwordAttempts) : null;
    const linkSecret = input.delivery?.linkSecret;
    const deliveries =
      perLink?.deliveries ?? (linkSecret ? recipients.map((email) => ({ email, linkSecret })) : []);
    // Without recipients or files a create is one INSERT: atomic by itself, one round trip on
    // PostgreSQL. With them, the links, deliveries and blobs are stored with the share, or nothing.
    const inserted =
      recipients.length === 0 && !files && !perLink
        ? await writeStatement(database, (db) => repo.insertShare(db, share))
        : await transact(async (trx) => {
            if (!(await repo.insertShare(trx, perLink?.parent ?? share))) return false;
            const external =
              perLink && orgId !== null ? await externalLinks(trx, input, orgId) : new Set();
            for (const child of perLink?.children ?? []) {
              if (external.has(child.id)) child.email_code_required = 1;
              if (!(await repo.insertShare(trx, child))) throw shareExists();
            }
            await files?.insert(trx, input.id);
            if (userId !== null && orgId !== null) {
              await queueForRecipients(trx, input, {
                userId,
                orgId,
                deliveries,
                passwordProtected:
                  links.length > 0
                    ? links[0]?.password !== undefined
                    : input.password !== undefined,
                expiresAt,
                now,
              });
            }
            return true;
          });
    if (!inserted) throw shareExists();
    metrics.sharesCreated.inc();
    if (deliveries.length > 0) deps.mail?.kick?.();
    return {
      id: input.id,
      expiresAt: new Date(expiresAt).toISOString(),
      maxViews: input.maxViews,
      ...(manageToken ? { manageToken } : {}),
      ...(files ? { uploadToken: files.uploadToken } : {}),
    };
  };
}
