/**
 * E-mail recipients on the share form (SPEC F1, F3). A plain check, not RFC 5322: one address,
 * no display name, nothing the server's own check would refuse (it has the last word).
 */

import { plural, t } from "@lingui/core/macro";

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
