/**
 * Account passwords: Argon2id on the server (these are sign-in passwords, not share passwords,
 * which never reach the server). Parameters follow OWASP's Argon2id minimum (19 MiB, t=2, p=1).
 */
import { BadRequestError } from "../../errors.js";

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Loaded on the first sign-up or sign-in: an instance that only serves links never needs the
// native module (about 5 MB of memory).
const argon2 = () => import("@node-rs/argon2");

// Verified against when the e-mail is unknown, so both cases take the same time.
let dummyHash: Promise<string> | null = null;
const DUMMY_HASH = () =>
  (dummyHash ??= argon2().then((a) => a.hash("not a real password, only for timing", OPTIONS)));

/** The most common passwords of 10+ characters in public breach corpora; refused at sign-up. */
const COMMON = new Set([
  "1234567890",
  "12345678910",
  "0123456789",
  "0987654321",
  "1111111111",
  "1234512345",
  "1q2w3e4r5t",
  "qwertyuiop",
  "1qaz2wsx3edc",
  "qwerty12345",
  "qwerty123456",
  "password123",
  "password12",
  "password1234",
  "passw0rd123",
  "iloveyou123",
  "abcdefghij",
  "abc1234567",
  "a123456789",
  "zaq12wsxcde",
  "princess123",
  "football123",
  "baseball123",
  "superman123",
  "letmein123",
  "welcome123",
  "monkey12345",
  "dragon12345",
  "sunshine123",
  "trustno1234",
  "administrator",
  "changeme123",
  "hushlink123",
  "secretsecret",
  "passwordpassword",
  "qwertyqwerty",
  "aaaaaaaaaa",
  "asdfghjkl;",
  "asdfghjkl1",
  "1234qwerasdf",
]);

export function checkNewPassword(password: string, email: string): void {
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || new Set(lower).size < 4) {
    throw new BadRequestError(
      "weak_password",
      "This password is too common. Choose one that is harder to guess.",
    );
  }
  if (lower.includes(email.split("@")[0] ?? "\u0000") && lower.length < 16) {
    throw new BadRequestError(
      "weak_password",
      "The password must not be built on your e-mail address.",
    );
  }
}

export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, OPTIONS);
}

/**
 * Always runs one Argon2id verification, whether or not there is a stored hash. A stored value
 * that is not one (an account made by single sign-on has none) verifies against the dummy too:
 * it would fail at once on decoding, and that quick answer told anyone the address has an account.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null || !stored.startsWith("$argon2")) {
    await (await argon2()).verify(await DUMMY_HASH(), password).catch(() => false);
    return false;
  }
  return (await argon2()).verify(stored, password).catch(() => false);
}
