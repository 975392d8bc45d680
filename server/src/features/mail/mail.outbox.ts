/**
 * The outbox's entries (SPEC F9, §3): what enqueue validates and seals, and what the worker opens.
 * Recipient and payload are sealed with the root key, bound to the entry's id, kind and field, so
 * moving a sealed field to another row or kind makes it unreadable.
 */
import type { Kysely } from "kysely";
import type { z } from "zod";

import { DEFAULT_LOCALE, isSupportedLocale, type SupportedLocale } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError } from "../../errors.js";
import { mailLanguages } from "../../lib/people.js";
import { openWithRootKey, sealWithRootKey } from "../../lib/sealing.js";
import { newId } from "../../lib/tokens.js";
import { chooseMailLocale, type MailLanguages } from "./mail.locale.js";
import * as repo from "./mail.repository.js";
import type { OutboxRow } from "./mail.repository.js";
import {
  isMailKind,
  MAIL_KINDS,
  MailAddress,
  type MailData,
  type mailDataSchemas,
  type MailKind,
  type MailMessage,
} from "./mail.schemas.js";

export class MailInputError extends BadRequestError {}

/** Where an entry's sealed fields are bound: moving one to another row or kind breaks it. */
const aadFor = (id: string, kind: string, field: "recipient" | "payload") =>
  `hushlink/mail_outbox/${id}/${kind}/${field}`;

function refuse(
  code: "invalid_email" | "invalid_mail",
  issues: z.core.$ZodIssue[],
  prefix: string,
): never {
  const list = issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].join("."),
    message: i.message,
  }));
  throw new MailInputError(
    code,
    `Cannot queue the message: ${list.map((i) => `${i.path} ${i.message}`).join("; ")}`,
    { issues: list },
  );
}

function codedError(code: string): Error & { code: string } {
  return Object.assign(new Error(code), { code });
}

export function createOutbox(deps: {
  /** The current root key first; retired keys after it still open older entries. */
  keys: readonly Buffer[];
  schemas: ReturnType<typeof mailDataSchemas>;
  clock: Clock;
  /** Share links go out over SMTP only (SPEC F9). */
  canDeliverShares: boolean;
  /** What a mail's language is chosen from (lib/people.ts; replaced in unit tests). */
  languages?: (
    db: Kysely<Database>,
    args: { to: string; causedBy?: string | null; orgId?: string | null },
  ) => Promise<MailLanguages>;
}) {
  const { keys, schemas, clock } = deps;
  const languages = deps.languages ?? mailLanguages;
  const currentKey = keys[0];
  if (!currentKey) throw new Error("the outbox needs a root key");

  return {
    /**
     * Validates, seals and inserts one entry with `db` (the caller's transaction). Throws
     * MailInputError (400) for a bad address or data, and 400 email_not_configured for a share
     * delivery without SMTP.
     */
    async insert(db: Kysely<Database>, message: MailMessage): Promise<string> {
      const kind = message.kind as string;
      if (!isMailKind(kind)) {
        throw new MailInputError("invalid_mail", `Cannot queue the message: unknown kind.`, {
          issues: [{ path: "kind", message: `must be one of ${MAIL_KINDS.join(", ")}` }],
        });
      }
      if (kind === "share_delivery" && !deps.canDeliverShares) {
        throw new BadRequestError(
          "email_not_configured",
          "E-mail recipients need SMTP, which this server does not have configured.",
        );
      }
      const to = MailAddress.safeParse(message.to);
      if (!to.success) refuse("invalid_email", to.error.issues, "to");
      const data = schemas[kind].safeParse(message.data);
      if (!data.success) refuse("invalid_mail", data.error.issues, "data");

      // Chosen now, in the caller's transaction, and kept with the entry: the worker renders it
      // later, when the people involved may have changed theirs.
      const locale = chooseMailLocale(
        await languages(db, {
          to: to.data,
          causedBy: message.language?.causedBy ?? null,
          orgId: message.language?.orgId ?? null,
        }),
      );
      const id = newId();
      const now = clock.now();
      await repo.insertEntry(db, {
        id,
        kind,
        recipient: sealWithRootKey(currentKey, to.data, aadFor(id, kind, "recipient")),
        // The validated form (times as epoch ms); the worker validates again when it opens it.
        payload: sealWithRootKey(
          currentKey,
          JSON.stringify({ data: data.data }),
          aadFor(id, kind, "payload"),
        ),
        share_id: message.shareId ?? null,
        ref: message.ref ?? null,
        locale,
        next_attempt_at: now,
        created_at: now,
      });
      return id;
    },

    /** Opens a claimed entry; throws an error with a `code` when it cannot be sent as it is. */
    open(row: OutboxRow): {
      to: string;
      data: MailData[MailKind];
      kind: MailKind;
      locale: SupportedLocale;
    } {
      const to = openWithRootKey(keys, row.recipient, aadFor(row.id, row.kind, "recipient"));
      if (!isMailKind(row.kind)) throw codedError("unknown_kind");
      const sealed = JSON.parse(
        openWithRootKey(keys, row.payload, aadFor(row.id, row.kind, "payload")),
      ) as { data?: unknown };
      const parsed = schemas[row.kind].safeParse(sealed.data);
      if (!parsed.success) throw codedError("invalid_payload");
      // English for entries queued before languages, or in one this version does not speak.
      const locale = isSupportedLocale(row.locale) ? row.locale : DEFAULT_LOCALE;
      return { to, data: parsed.data, kind: row.kind, locale };
    },

    /** The address alone, for the failure hooks; null when the entry cannot be opened. */
    recipientOf(row: OutboxRow): string | null {
      try {
        return openWithRootKey(keys, row.recipient, aadFor(row.id, row.kind, "recipient"));
      } catch {
        return null;
      }
    },

    /**
     * Drops the queued messages about a share (when it is deleted), except any being sent this
     * moment. Returns the dropped entries so delivery state can be updated.
     */
    cancelForShare: async (db: Kysely<Database>, shareId: string) => {
      const rows = await repo.deleteForShare(db, { shareId, now: clock.now() });
      return rows.map((r) => ({ id: r.id, kind: r.kind, ref: r.ref, shareId: r.share_id }));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
