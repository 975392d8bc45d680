/** Values fixed by protocol v1 (SPEC §3). Changing any of them breaks every existing link. */

export const PROTOCOL_VERSION = "v1";
export const AAD = "hushlink/v1";

export const INFO = {
  id: "hushlink/v1/id",
  view: "hushlink/v1/view",
  salt: "hushlink/v1/salt",
  verifier: "hushlink/v1/verifier",
  content: "hushlink/v1/content",
} as const;

/** End-to-end secret requests (SPEC §3.2). */
export const REQUEST_INFO = {
  read: "hushlink/v1/request-read",
  wrap: "hushlink/v1/request-wrap",
  answer: "hushlink/v1/request",
} as const;
export const REQUEST_KEY_AAD = "hushlink/v1/request-key";
export const REQUEST_AAD = "hushlink/v1/request";

export const READING_SECRET_BYTES = 32;
export const READ_TOKEN_BYTES = 32;
/** The uncompressed point: 0x04, then x and y of 32 bytes each. */
export const PUBLIC_KEY_BYTES = 65;
export const PRIVATE_SCALAR_BYTES = 32;
/** The wrapped scalar: 32 bytes and the 16-byte GCM tag. */
export const ENCRYPTED_PRIVATE_KEY_BYTES = 48;

export const LINK_SECRET_BYTES = 32;
export const ID_BYTES = 16;
export const VIEW_TOKEN_BYTES = 32;
export const SALT_BYTES = 16;
export const PASSWORD_KEY_BYTES = 32;
export const VERIFIER_BYTES = 32;
export const CONTENT_KEY_BYTES = 32;
export const IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/** Argon2id parameters: what clients use by default, and the bounds the server accepts. */
export const DEFAULT_KDF = { alg: "argon2id", m: 65536, t: 3, p: 1 } as const;
export const KDF_BOUNDS = {
  m: { min: 19456, max: 1048576 },
  t: { min: 2, max: 10 },
  p: { min: 1, max: 4 },
} as const;

/** Choices offered in the UI and CLI; the API accepts any whole number of seconds in range. */
export const EXPIRY_CHOICES = [
  { label: "5 minutes", short: "5m", seconds: 5 * 60 },
  { label: "30 minutes", short: "30m", seconds: 30 * 60 },
  { label: "1 hour", short: "1h", seconds: 60 * 60 },
  { label: "1 day", short: "1d", seconds: 24 * 60 * 60 },
  { label: "7 days", short: "7d", seconds: 7 * 24 * 60 * 60 },
  { label: "14 days", short: "14d", seconds: 14 * 24 * 60 * 60 },
  { label: "30 days", short: "30d", seconds: 30 * 24 * 60 * 60 },
] as const;

export const VIEW_CHOICES = [1, 2, 3, 5, 10, 25, 100, null] as const;

export const MIN_EXPIRES_IN = 60;
export const MAX_VIEWS = 1000;
export const MAX_NAME_LENGTH = 200;
export const DEFAULT_MAX_SECRET_BYTES = 64 * 1024;
export const MAX_RECIPIENTS = 50;
/** The sender's note inside the encrypted payload (an extension of step 5), in characters. */
export const MAX_NOTE_LENGTH = 1000;

/** Account passwords: what sign-up, reset and change accept (the web forms check the same). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;
