/**
 * One link per recipient (F14): the checks of a create with `recipientLinks`, and the rows it
 * inserts. Each link is a share row of its own (parent_id = the share), so everything a link does
 * (reveal, password attempts, tombstone, access log) is what a share does, counted for that link
 * alone. The share itself is a row without content: it holds the list entry and the expiry.
 */
import type { Insertable } from "kysely";

import { deriveLinkKeys, type RecipientLink } from "@hushlink/protocol";

import type { SharesTable } from "../../db/schema.js";
import { BadRequestError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { hashBase64UrlBytes } from "../../lib/tokens.js";
import { checkRecipients, type Delivery } from "./recipients.rules.js";

/** What a create with recipient links must not carry: the share has no link of its own. */
const NOT_WITH_LINKS = [
  "viewToken",
  "ciphertext",
  "iv",
  "password",
  "recipients",
  "delivery",
] as const;

/** Refuses a create with recipient links that could not give each recipient a working link. */
export async function checkRecipientLinks(
  input: { id: string; allowExternalRecipients: boolean } & Partial<
    Record<(typeof NOT_WITH_LINKS)[number], unknown>
  >,
  links: RecipientLink[],
  mail: MailQueue | undefined,
): Promise<void> {
  const extra = NOT_WITH_LINKS.filter((field) => input[field] !== undefined);
  if (extra.length > 0) {
    throw new BadRequestError(
      "invalid_request",
      `With recipientLinks each link carries its own content: leave out ${extra.join(", ")}.`,
    );
  }
  const emails = new Set(links.map((l) => l.email));
  const ids = new Set([input.id, ...links.map((l) => l.id)]);
  if (emails.size !== links.length || ids.size !== links.length + 1) {
    throw new BadRequestError(
      "invalid_request",
      "Each recipient link needs an address and an id of its own, unlike the share's id.",
    );
  }
  const withPassword = links.filter((l) => l.password !== undefined).length;
  if (withPassword !== 0 && withPassword !== links.length) {
    throw new BadRequestError(
      "invalid_request",
      "Either every recipient link has a password or none has.",
    );
  }
  for (const link of links) {
    await checkRecipients(
      {
        recipients: [link.email],
        allowExternal: input.allowExternalRecipients,
        hasPassword: link.password !== undefined,
        linkSecret: link.linkSecret,
        shareId: link.id,
      },
      mail,
    );
    // The view token too, or the recipient would get a link that never opens.
    if ((await deriveLinkKeys(link.linkSecret)).viewToken !== link.viewToken) {
      throw new BadRequestError(
        "invalid_link_secret",
        "A recipient link's linkSecret does not match its viewToken.",
      );
    }
  }
}

type ShareInsert = Insertable<SharesTable>;

/** The share's row (no content) and one row per recipient link, with their deliveries. */
export function recipientLinkRows(
  base: ShareInsert,
  links: RecipientLink[],
  passwordAttempts: number,
): { parent: ShareInsert; children: ShareInsert[]; deliveries: Delivery[] } {
  const parent: ShareInsert = { ...base, links_per_recipient: 1 };
  const children = links.map((link): ShareInsert => ({
    ...base,
    id: link.id,
    parent_id: base.id,
    ciphertext: link.ciphertext,
    iv: link.iv,
    view_token_hash: hashBase64UrlBytes(link.viewToken),
    verifier_hash: link.password ? hashBase64UrlBytes(link.password.verifier) : null,
    kdf_m: link.password?.kdf.m ?? null,
    kdf_t: link.password?.kdf.t ?? null,
    kdf_p: link.password?.kdf.p ?? null,
    password_attempts_left: link.password ? passwordAttempts : null,
    // Files are uploaded once, to the share; a link counts the chunks (so it opens when every
    // one is in) but takes none itself.
    upload_token_hash: null,
  }));
  const deliveries = links.map((l) => ({ email: l.email, linkSecret: l.linkSecret, linkId: l.id }));
  return { parent, children, deliveries };
}
