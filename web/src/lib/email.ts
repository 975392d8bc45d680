/**
 * The web app's one e-mail check: what the server's schema accepts (protocol/src/schemas/common.ts,
 * `Email`): one plain address, no display name, no spaces or control characters. The server has
 * the last word; this only saves a round trip and says what is wrong in the field.
 */

export const MAX_EMAIL_LENGTH = 254;

const PLAIN_ADDRESS =
  // eslint-disable-next-line no-control-regex
  /^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+@[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+\.[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+$/;

/** Whether `address` (trimmed) is one the server accepts. */
export function isEmailAddress(address: string): boolean {
  return address.length <= MAX_EMAIL_LENGTH && PLAIN_ADDRESS.test(address);
}
