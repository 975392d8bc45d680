/**
 * E-mail recipients on the share form (SPEC F1, F3). A plain check, not RFC 5322: one address,
 * no display name, nothing the server's own check would refuse (it has the last word).
 */

import { plural, t } from "@lingui/core/macro";

import { i18n } from "../../i18n/i18n";
import { ERROR_MESSAGES } from "../../i18n/error-messages";
import { isApiError } from "../../lib/api";
import { isEmailAddress, MAX_EMAIL_LENGTH } from "../../lib/email";

export { MAX_RECIPIENTS } from "@hushlink/protocol/client";

/** Why `address` (already trimmed) is not accepted, or null when it is. */
export function addressProblem(address: string): string | null {
  if (address.length > MAX_EMAIL_LENGTH) {
    const most = MAX_EMAIL_LENGTH;
    return plural(most, {
      one: "That address is longer than # character.",
      other: "That address is longer than # characters.",
    });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(address)) {
    return t`An address cannot contain a line break or a control character.`;
  }
  if (/[<>"]/.test(address) || /\s\S*@/.test(address)) {
    return t`Enter the address alone, without a name: for example alice@example.com.`;
  }
  if (/\s/.test(address)) return t`“${address}” contains a space.`;
  if (!isEmailAddress(address)) return t`“${address}” is not an e-mail address.`;
  return null;
}

/** Pieces typed or pasted at once: split at commas, semicolons and white space. */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** "1 person", "2 people". */
export const people = (count: number) => plural(count, { one: "# person", other: "# people" });

/** The server's `field` for a recipient: body.recipients.1, or body.recipientLinks.1.email. */
const RECIPIENT_FIELD = /^body\.(?:recipients|recipientLinks)\.(\d+)(?:\.email)?$/;

/**
 * The server's refusal of one of the addresses `sent`, to be shown at the recipients field with
 * that chip marked, or null for any other error: recipient_not_member names the address, and
 * confusable_domain (a domain mixing alphabets, docs/SPEC.md "Lookalike domains") its place in
 * the list, by `field`.
 */
export function refusedRecipient(
  caught: unknown,
  sent: string[],
): { message: string; email: string | null } | null {
  if (isApiError(caught, "recipient_not_member")) {
    const email = caught.details.email;
    return { message: caught.message, email: typeof email === "string" ? email : null };
  }
  if (isApiError(caught, "confusable_domain")) {
    const field = caught.details.field;
    const index = typeof field === "string" ? RECIPIENT_FIELD.exec(field)?.[1] : undefined;
    if (index === undefined) return null;
    // The page's own words in every language: the server's English one starts with its field
    // path (body.recipientLinks.1.email), which the marked chip says better here.
    return {
      message: i18n._(ERROR_MESSAGES.confusable_domain),
      email: sent[Number(index)] ?? null,
    };
  }
  return null;
}
