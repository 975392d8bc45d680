/**
 * Protocol v1 (SPEC §3) on WebCrypto and hash-wasm's Argon2id, so one implementation serves the
 * browser, the server's tests and the CLI. Every function here is pure: randomness comes in through
 * `randomBytes`, which callers (and known-answer tests) may replace.
 */
import {
  AAD,
  CONTENT_KEY_BYTES,
  DEFAULT_KDF,
  ID_BYTES,
  INFO,
  IV_BYTES,
  LINK_SECRET_BYTES,
  PASSWORD_KEY_BYTES,
  SALT_BYTES,
  VERIFIER_BYTES,
  VIEW_TOKEN_BYTES,
} from "./constants.js";
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from "./encoding.js";
import { encryptedSize } from "./file-sizes.js";
import { parsePayload, payloadJson, type ShareFile, type SharePayload } from "./payload.js";

export type { ShareFile, SharePayload };

export interface KdfParams {
  alg: "argon2id";
  m: number;
  t: number;
  p: number;
}

export interface LinkKeys {
  /** base64url of S, the secret that only lives in the link's fragment. */
  linkSecret: string;
  id: string;
  viewToken: string;
}

export interface PasswordKeys {
  /** Argon2id output; mixed into the content key and never sent anywhere. */
  passwordKey: Uint8Array;
  /** Proof of the password that the server stores only as a SHA-256 hash. */
  verifier: string;
}

export interface SealedShare {
  linkSecret: string;
  body: {
    id: string;
    viewToken: string;
    ciphertext: string;
    iv: string;
    password?: { kdf: KdfParams; verifier: string };
    /** One per file (SPEC §3.1): blob id and encrypted size, declared at create. */
    blobs?: { id: string; size: number }[];
  };
}

// WebCrypto wants ArrayBuffer-backed views; copying also detaches us from callers' buffers.
function buf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export async function hkdf(ikm: Uint8Array, info: string, length: number): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey("raw", buf(ikm), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: buf(utf8(info)) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", buf(data)));
}

function linkSecretBytes(linkSecret: string): Uint8Array {
  const bytes = fromBase64Url(linkSecret);
  if (bytes.length !== LINK_SECRET_BYTES) throw new TypeError("link secret must be 32 bytes");
  return bytes;
}

/** Step 2: the share id and view token, both derived from S. */
export async function deriveLinkKeys(linkSecret: string): Promise<LinkKeys> {
  const s = linkSecretBytes(linkSecret);
  const [id, viewToken] = await Promise.all([
    hkdf(s, INFO.id, ID_BYTES),
    hkdf(s, INFO.view, VIEW_TOKEN_BYTES),
  ]);
  return { linkSecret, id: toBase64Url(id), viewToken: toBase64Url(viewToken) };
}

/** Step 3: the salt (from S, never sent), Argon2id password key and its verifier. Slow on purpose. */
export async function derivePasswordKeys(
  linkSecret: string,
  password: string,
  kdf: KdfParams = DEFAULT_KDF,
): Promise<PasswordKeys & { salt: string }> {
  const s = linkSecretBytes(linkSecret);
  const salt = await hkdf(s, INFO.salt, SALT_BYTES);
  // Loaded on first use: Argon2id's WebAssembly is a third of a page's first script otherwise,
  // and a share without a password never needs it.
  const { argon2id } = await import("hash-wasm");
  const passwordKey = await argon2id({
    password: utf8(password),
    salt,
    parallelism: kdf.p,
    iterations: kdf.t,
    memorySize: kdf.m,
    hashLength: PASSWORD_KEY_BYTES,
    outputType: "binary",
  });
  const verifier = await hkdf(passwordKey, INFO.verifier, VERIFIER_BYTES);
  return { salt: toBase64Url(salt), passwordKey, verifier: toBase64Url(verifier) };
}

/** Step 4: contentKey = HKDF(S ‖ pw) with a password, HKDF(S) without. */
export async function deriveContentKey(
  linkSecret: string,
  passwordKey?: Uint8Array,
): Promise<Uint8Array> {
  const s = linkSecretBytes(linkSecret);
  const ikm = passwordKey ? concatBytes(s, passwordKey) : s;
  return hkdf(ikm, INFO.content, CONTENT_KEY_BYTES);
}

// The return type is inferred: CryptoKey is a DOM global that Node-only type setups lack.
function aesKey(contentKey: Uint8Array, usage: "encrypt" | "decrypt") {
  return globalThis.crypto.subtle.importKey("raw", buf(contentKey), "AES-GCM", false, [usage]);
}

/** Step 5: AES-256-GCM over the UTF-8 JSON `{"text": …}`, tag appended, aad "hushlink/v1". */
export async function encryptText(
  contentKey: Uint8Array,
  text: string,
  iv: Uint8Array,
): Promise<string> {
  return encryptPayload(contentKey, { text }, iv);
}

/** `aad` is "hushlink/v1" for shares; request answers (§3.2) use their own. */
export async function encryptPayload(
  contentKey: Uint8Array,
  payload: SharePayload,
  iv: Uint8Array,
  aad: string = AAD,
): Promise<string> {
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv: buf(iv), additionalData: buf(utf8(aad)) },
    await aesKey(contentKey, "encrypt"),
    buf(utf8(payloadJson(payload))),
  );
  return toBase64Url(new Uint8Array(ciphertext));
}

export class DecryptionError extends Error {
  constructor() {
    super("The secret could not be decrypted: the link or password does not match.");
    this.name = "DecryptionError";
  }
}

export async function decryptText(
  contentKey: Uint8Array,
  ciphertext: string,
  iv: string,
): Promise<string> {
  return (await decryptPayload(contentKey, ciphertext, iv)).text;
}

export async function decryptPayload(
  contentKey: Uint8Array,
  ciphertext: string,
  iv: string,
  aad: string = AAD,
): Promise<SharePayload> {
  let plaintext: ArrayBuffer;
  try {
    plaintext = await globalThis.crypto.subtle.decrypt(
      { name: "AES-GCM", iv: buf(fromBase64Url(iv)), additionalData: buf(utf8(aad)) },
      await aesKey(contentKey, "decrypt"),
      buf(fromBase64Url(ciphertext)),
    );
  } catch {
    throw new DecryptionError();
  }
  let payload: SharePayload | null;
  try {
    payload = parsePayload(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext)));
  } catch {
    payload = null;
  }
  if (!payload) throw new DecryptionError();
  return payload;
}

export interface SealOptions {
  password?: string;
  kdf?: KdfParams;
  /** Fixed S and IV, for known-answer tests only; otherwise drawn at random. */
  linkSecret?: string;
  iv?: string;
  /** A message to the recipient, encrypted with the secret (see SharePayload). */
  note?: string;
  /** Files (SPEC §3.1), as `describeFile` makes them; their blobs are declared in `body.blobs`. */
  files?: ShareFile[];
}

/** Steps 1–6: everything a client does to create a share. The link secret stays with the caller. */
export async function seal(text: string, options: SealOptions = {}): Promise<SealedShare> {
  const linkSecret = options.linkSecret ?? toBase64Url(randomBytes(LINK_SECRET_BYTES));
  const iv = options.iv ? fromBase64Url(options.iv) : randomBytes(IV_BYTES);
  if (iv.length !== IV_BYTES) throw new TypeError("iv must be 12 bytes");
  const files = options.files ?? [];
  const keys = await deriveLinkKeys(linkSecret);
  const kdf = options.kdf ?? DEFAULT_KDF;
  const pw = options.password ? await derivePasswordKeys(linkSecret, options.password, kdf) : null;
  const contentKey = await deriveContentKey(linkSecret, pw?.passwordKey);
  const body: SealedShare["body"] = {
    id: keys.id,
    viewToken: keys.viewToken,
    ciphertext: await encryptPayload(contentKey, { text, note: options.note, files }, iv),
    iv: toBase64Url(iv),
  };
  if (pw) body.password = { kdf: { ...kdf }, verifier: pw.verifier };
  if (files.length > 0) {
    body.blobs = files.map((file) => ({ id: file.blob, size: encryptedSize(file.size) }));
  }
  return { linkSecret, body };
}

/** Decrypts what `reveal` returned. `passwordKey` comes from derivePasswordKeys when a password is set. */
export async function open(
  linkSecret: string,
  sealed: { ciphertext: string; iv: string },
  passwordKey?: Uint8Array,
): Promise<string> {
  return (await openPayload(linkSecret, sealed, passwordKey)).text;
}

/** Like `open`, with the sender's note when the share carries one. */
export async function openPayload(
  linkSecret: string,
  sealed: { ciphertext: string; iv: string },
  passwordKey?: Uint8Array,
): Promise<SharePayload> {
  const contentKey = await deriveContentKey(linkSecret, passwordKey);
  return decryptPayload(contentKey, sealed.ciphertext, sealed.iv);
}
