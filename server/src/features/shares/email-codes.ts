/**
 * E-mail codes for recipient links bound to an external address (issue 19, F14): the link
 * holder asks for a six-digit code, the server mails it to the address the link was made for,
 * and the reveal takes it in the same conditional UPDATE that consumes the view (see viewAllowed
 * in shares.repository.ts, and explainRefusal in shares.reveal.ts for a wrong one). So a link
 * that leaked opens only with the recipient's mailbox as well as the sender's password.
 */
import { randomInt } from "node:crypto";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle, Transact } from "../../db/database.js";
import { BadRequestError, TooManyRequestsError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { hashBase64UrlBytes, hashToken, safeEqual } from "../../lib/tokens.js";
import { issueEmailCode } from "./email-codes.repository.js";
import * as recipientsRepo from "./recipients.repository.js";
import { goneError, notFoundError } from "./shares.errors.js";
import * as repo from "./shares.repository.js";

/** A code works 10 minutes and for 5 tries; a link gets one a minute and 5 an hour. */
export const EMAIL_CODE = {
  ttl: 10 * 60_000,
  tries: 5,
  minInterval: 60_000,
  window: 60 * 60_000,
  perWindow: 5,
} as const;

/**
 * What is stored of a code: SHA-256 over the link's id and the code, so equal codes of two links
 * differ. A million codes are quickly tried against one hash; that buys a database thief nothing
 * (a code opens nothing without the link and its password, and lives 10 minutes).
 */
export function emailCodeHash(linkId: string, code: string): string {
  return hashToken(`hushlink/email-code/v1:${linkId}:${code}`);
}

/**
 * What a code becomes once it opened a view: it opens no other view, but its holder may still
 * destroy the link ("Destroy now" after reading) while the code lives, with the tries it has left.
 */
export function spentEmailCodeHash(linkId: string, code: string): string {
  return hashToken(`hushlink/email-code/v1/spent:${linkId}:${code}`);
}

/** `jane@example.com` → `j•••@example.com`: enough for a recipient to know it is theirs. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, Math.max(0, at));
  const first = [...local][0] ?? "";
  return `${first}•••${email.slice(at)}`;
}

export interface EmailCodesDeps {
  database: Pick<DatabaseHandle, "db">;
  transact: Transact;
  clock: Clock;
  mail?: MailQueue | undefined;
  /** Counts a share destroyed on the spot (found past its expiry). */
  destroyed(reason: "expired"): void;
}

export function createEmailCodes(deps: EmailCodesDeps) {
  const { database, transact, clock } = deps;

  /** Why no code was sent: the same order as a reveal's refusals, then the link's limits. */
  async function refusal(id: string, viewTokenHash: string, now: number): Promise<Error> {
    const row = await repo.findShare(database.db, id);
    if (!row) return notFoundError();
    if (row.status !== "active") return goneError(row.status, row.gone_at);
    if (!safeEqual(row.view_token_hash, viewTokenHash)) return notFoundError();
    if (row.expires_at <= now) {
      const done = await transact((trx) =>
        repo.destroyShare(trx, { id, reason: "expired", at: row.expires_at }),
      );
      if (done) deps.destroyed("expired");
      return goneError("expired", row.expires_at);
    }
    if (!row.email_code_required) {
      return new BadRequestError(
        "email_code_not_required",
        "This link needs no e-mailed code: reveal it with its password alone.",
      );
    }
    const sentAt = row.email_code_sent_at ?? 0;
    const windowAt = row.email_code_window_at ?? 0;
    const windowFull =
      windowAt > now - EMAIL_CODE.window && row.email_code_window_count >= EMAIL_CODE.perWindow;
    const retryAt = Math.max(
      sentAt + EMAIL_CODE.minInterval,
      windowFull ? windowAt + EMAIL_CODE.window : 0,
    );
    return new TooManyRequestsError(
      "email_code_limit",
      "A code was sent a moment ago: use it, or ask again later.",
      { retryAt: new Date(Math.max(retryAt, now + 1000)).toISOString() },
    );
  }

  return {
    /** Mails a new code to the address of the link `id`, for a holder of its view token. */
    send: async (id: string, viewToken: string) => {
      const mail = deps.mail;
      if (!mail?.canDeliverShares) {
        throw new BadRequestError(
          "email_not_configured",
          "E-mail is not configured on this server.",
        );
      }
      const now = clock.now();
      const viewTokenHash = hashBase64UrlBytes(viewToken);
      const code = randomInt(0, 1_000_000).toString().padStart(6, "0");
      const sent = await transact(async (trx) => {
        const issued = await issueEmailCode(trx, {
          id,
          viewTokenHash,
          codeHash: emailCodeHash(id, code),
          now,
          ...EMAIL_CODE,
        });
        if (!issued) return false;
        const recipient = await recipientsRepo.recipientOfLink(trx, id);
        // Only links made for a recipient are ever marked as needing a code.
        if (!recipient) throw new Error("a link that needs a code has no recipient");
        // In the language the link itself came in: its sender's, or their organization's.
        const share = await repo.findShare(trx, recipient.share_id);
        await mail.enqueue(trx, {
          kind: "email_code",
          to: recipient.email,
          language: { causedBy: share?.creator_id ?? null, orgId: share?.org_id ?? null },
          // The link's message: revoking or deleting the link drops it from the outbox.
          shareId: id,
          data: { code, expiresAt: new Date(now + EMAIL_CODE.ttl).toISOString() },
        });
        return true;
      });
      if (!sent) throw await refusal(id, viewTokenHash, now);
      mail.kick?.();
      return {
        expiresAt: new Date(now + EMAIL_CODE.ttl).toISOString(),
        resendAt: new Date(now + EMAIL_CODE.minInterval).toISOString(),
      };
    },
  };
}

export type EmailCodes = ReturnType<typeof createEmailCodes>;
