/**
 * End-to-end secret requests (SPEC §3.2), on WebCrypto alone so the browser, the CLI and the
 * server's tests share one implementation. The requester holds a P-256 key pair whose private
 * scalar is wrapped under a key derived from the reading secret R; the server keeps the wrapped
 * scalar and SHA-256 of the read token, so neither it nor a database thief can read an answer.
 * Randomness comes in through options that known-answer tests fix.
 */
import {
  ENCRYPTED_PRIVATE_KEY_BYTES,
  IV_BYTES,
  PRIVATE_SCALAR_BYTES,
  PUBLIC_KEY_BYTES,
  READ_TOKEN_BYTES,
  READING_SECRET_BYTES,
  REQUEST_AAD,
  REQUEST_INFO,
  REQUEST_KEY_AAD,
} from "./constants.js";
import {
  decryptPayload,
  DecryptionError,
  encryptPayload,
  hkdf,
  randomBytes,
  sha256,
} from "./crypto.js";
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from "./encoding.js";
import { InvalidLinkError } from "./link.js";
import type { SharePayload } from "./payload.js";

const CURVE = { name: "ECDH", namedCurve: "P-256" } as const;
// PKCS #8 of a P-256 ECPrivateKey that carries only the scalar: WebCrypto computes the public
// point on import, which is how a fixed scalar (the vectors) becomes a key pair without a
// big-number library.
const PKCS8_PREFIX = fromBase64Url("MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCA");

// WebCrypto wants ArrayBuffer-backed views; a copy is one.
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** The request's wire fields that only the requester can use (sent at create, answered by open). */
export interface RequestKeyFields {
  publicKey: string;
  encryptedPrivateKey: string;
  keyIv: string;
}

export interface RequestKeys {
  /** R, base64url: the only key to the answer; it lives in the reading link's fragment. */
  readingSecret: string;
  /** SHA-256 of the public key, base64url: the request link's fragment. */
  fingerprint: string;
  /** What `POST /api/v1/requests` takes in addition to the F6 fields. */
  body: RequestKeyFields & { readToken: string };
}

export interface SealedAnswer {
  ephemeralPublicKey: string;
  ciphertext: string;
  iv: string;
}

/** The reading secret does not open this request's key: a wrong or mistyped reading link. */
export class RequestKeyError extends DecryptionError {
  constructor() {
    super();
    this.message = "The answer could not be opened: the reading link does not match this request.";
    this.name = "RequestKeyError";
  }
}

/** The request's public key does not match the request link: the server may have swapped it. */
export class FingerprintMismatchError extends Error {
  constructor() {
    super("This request's key does not match the link you were given; do not answer it.");
    this.name = "FingerprintMismatchError";
  }
}

function bytesOf(value: string, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(value);
  } catch {
    throw new TypeError(`${what} must be base64url`);
  }
  if (bytes.length !== length) throw new TypeError(`${what} must be ${length} bytes`);
  return bytes;
}

/** readToken (sent, stored hashed) and wrapKey (never leaves the client), both from R. */
export async function deriveReadingKeys(
  readingSecret: string,
): Promise<{ readToken: string; wrapKey: Uint8Array }> {
  const r = bytesOf(readingSecret, READING_SECRET_BYTES, "reading secret");
  const [readToken, wrapKey] = await Promise.all([
    hkdf(r, REQUEST_INFO.read, READ_TOKEN_BYTES),
    hkdf(r, REQUEST_INFO.wrap, 32),
  ]);
  return { readToken: toBase64Url(readToken), wrapKey };
}

export async function requestFingerprint(publicKey: string): Promise<string> {
  return toBase64Url(await sha256(bytesOf(publicKey, PUBLIC_KEY_BYTES, "public key")));
}

/** The public key as WebCrypto sees it; throws unless it is a point on P-256. */
async function importPublicKey(publicKey: Uint8Array) {
  if (publicKey.length !== PUBLIC_KEY_BYTES || publicKey[0] !== 4) {
    throw new TypeError("public key must be an uncompressed P-256 point");
  }
  return globalThis.crypto.subtle.importKey("raw", own(publicKey), CURVE, true, []);
}

/** True when `publicKey` is base64url of an uncompressed point on P-256 (what the server checks). */
export async function isRequestPublicKey(publicKey: string): Promise<boolean> {
  try {
    await importPublicKey(bytesOf(publicKey, PUBLIC_KEY_BYTES, "public key"));
    return true;
  } catch {
    return false;
  }
}

async function privateKeyFromJwk(d: Uint8Array, publicKey: Uint8Array) {
  const jwk = {
    kty: "EC",
    crv: "P-256",
    x: toBase64Url(publicKey.subarray(1, 33)),
    y: toBase64Url(publicKey.subarray(33, 65)),
    d: toBase64Url(d),
  };
  return globalThis.crypto.subtle.importKey("jwk", jwk, CURVE, false, ["deriveBits"]);
}

/** A key pair: fresh, or from a fixed scalar (known-answer tests). Both halves as raw bytes. */
async function keyPair(scalar?: Uint8Array): Promise<{ d: Uint8Array; publicKey: Uint8Array }> {
  let privateKey;
  if (scalar) {
    if (scalar.length !== PRIVATE_SCALAR_BYTES) throw new TypeError("scalar must be 32 bytes");
    privateKey = await globalThis.crypto.subtle.importKey(
      "pkcs8",
      own(concatBytes(PKCS8_PREFIX, scalar)),
      CURVE,
      true,
      ["deriveBits"],
    );
  } else {
    ({ privateKey } = await globalThis.crypto.subtle.generateKey(CURVE, true, ["deriveBits"]));
  }
  const jwk = await globalThis.crypto.subtle.exportKey("jwk", privateKey);
  if (!jwk.d || !jwk.x || !jwk.y) throw new TypeError("WebCrypto exported an incomplete key");
  const publicKey = concatBytes(new Uint8Array([4]), fromBase64Url(jwk.x), fromBase64Url(jwk.y));
  return { d: fromBase64Url(jwk.d), publicKey };
}

async function aesGcm(
  mode: "encrypt" | "decrypt",
  key: Uint8Array,
  iv: Uint8Array,
  aad: string,
  data: Uint8Array,
): Promise<Uint8Array> {
  const cryptoKey = await globalThis.crypto.subtle.importKey("raw", own(key), "AES-GCM", false, [
    mode,
  ]);
  const params = { name: "AES-GCM", iv: own(iv), additionalData: own(utf8(aad)) };
  return new Uint8Array(await globalThis.crypto.subtle[mode](params, cryptoKey, own(data)));
}

export interface RequestKeyOptions {
  /** Fixed R, scalar and key iv, for known-answer tests only; otherwise drawn at random. */
  readingSecret?: string;
  privateScalar?: string;
  keyIv?: string;
}

/** Everything a requester's client makes before `POST /api/v1/requests` (§3.2, creating). */
export async function createRequestKeys(options: RequestKeyOptions = {}): Promise<RequestKeys> {
  const readingSecret = options.readingSecret ?? toBase64Url(randomBytes(READING_SECRET_BYTES));
  const keyIv = options.keyIv ? bytesOf(options.keyIv, IV_BYTES, "key iv") : randomBytes(IV_BYTES);
  const scalar = options.privateScalar
    ? bytesOf(options.privateScalar, PRIVATE_SCALAR_BYTES, "private scalar")
    : undefined;
  const { readToken, wrapKey } = await deriveReadingKeys(readingSecret);
  const { d, publicKey } = await keyPair(scalar);
  const encryptedPrivateKey = await aesGcm("encrypt", wrapKey, keyIv, REQUEST_KEY_AAD, d);
  return {
    readingSecret,
    fingerprint: toBase64Url(await sha256(publicKey)),
    body: {
      publicKey: toBase64Url(publicKey),
      encryptedPrivateKey: toBase64Url(encryptedPrivateKey),
      keyIv: toBase64Url(keyIv),
      readToken,
    },
  };
}

/** The private scalar, unwrapped with R; RequestKeyError when R is not this request's. */
export async function unwrapRequestKey(
  readingSecret: string,
  fields: RequestKeyFields,
): Promise<Uint8Array> {
  const { wrapKey } = await deriveReadingKeys(readingSecret);
  try {
    return await aesGcm(
      "decrypt",
      wrapKey,
      bytesOf(fields.keyIv, IV_BYTES, "key iv"),
      REQUEST_KEY_AAD,
      bytesOf(fields.encryptedPrivateKey, ENCRYPTED_PRIVATE_KEY_BYTES, "encrypted private key"),
    );
  } catch {
    throw new RequestKeyError();
  }
}

/** key = HKDF(Z ‖ ephemeralPublicKey ‖ publicKey, "hushlink/v1/request", 32). */
async function answerKey(z: Uint8Array, ephemeralPublicKey: Uint8Array, publicKey: Uint8Array) {
  return hkdf(concatBytes(z, ephemeralPublicKey, publicKey), REQUEST_INFO.answer, 32);
}

// Inferred: CryptoKey is a DOM global that Node-only type setups lack.
type CryptoKeyLike = Awaited<ReturnType<typeof privateKeyFromJwk>>;

async function ecdh(privateKey: CryptoKeyLike, publicKey: Uint8Array): Promise<Uint8Array> {
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: "ECDH", public: await importPublicKey(publicKey) },
    privateKey,
    256,
  );
  return new Uint8Array(bits);
}

export interface SealAnswerOptions {
  /** Fixed ephemeral scalar and iv, for known-answer tests only. */
  ephemeralScalar?: string;
  iv?: string;
}

/** Refuses unless SHA-256(publicKey) is the request link's fragment (§3.2, answering). */
export async function checkFingerprint(publicKey: string, fingerprint: string): Promise<void> {
  if ((await requestFingerprint(publicKey)) !== fingerprint) throw new FingerprintMismatchError();
}

/** The submitter's side: ECDH to the request's key, HKDF, AES-256-GCM over the answer's JSON. */
export async function sealAnswer(
  publicKey: string,
  payload: SharePayload,
  options: SealAnswerOptions = {},
): Promise<SealedAnswer> {
  const recipient = bytesOf(publicKey, PUBLIC_KEY_BYTES, "public key");
  const iv = options.iv ? bytesOf(options.iv, IV_BYTES, "iv") : randomBytes(IV_BYTES);
  const scalar = options.ephemeralScalar
    ? bytesOf(options.ephemeralScalar, PRIVATE_SCALAR_BYTES, "ephemeral scalar")
    : undefined;
  const ephemeral = await keyPair(scalar);
  const z = await ecdh(await privateKeyFromJwk(ephemeral.d, ephemeral.publicKey), recipient);
  const key = await answerKey(z, ephemeral.publicKey, recipient);
  return {
    ephemeralPublicKey: toBase64Url(ephemeral.publicKey),
    ciphertext: await encryptPayload(key, payload, iv, REQUEST_AAD),
    iv: toBase64Url(iv),
  };
}

/** The requester's side: unwrap the scalar with R, recompute Z and decrypt the answer. */
export async function openAnswer(
  readingSecret: string,
  fields: RequestKeyFields,
  answer: SealedAnswer,
): Promise<SharePayload> {
  const publicKey = bytesOf(fields.publicKey, PUBLIC_KEY_BYTES, "public key");
  const d = await unwrapRequestKey(readingSecret, fields);
  let privateKey;
  try {
    privateKey = await privateKeyFromJwk(d, publicKey);
  } catch {
    // A scalar that does not belong to the stored point: the server's copy was altered.
    throw new RequestKeyError();
  }
  const ephemeral = bytesOf(answer.ephemeralPublicKey, PUBLIC_KEY_BYTES, "ephemeral public key");
  let z: Uint8Array;
  try {
    z = await ecdh(privateKey, ephemeral);
  } catch {
    throw new DecryptionError();
  }
  const key = await answerKey(z, ephemeral, publicKey);
  return decryptPayload(key, answer.ciphertext, answer.iv, REQUEST_AAD);
}

/** `{PUBLIC_URL}/r/{id}#{fp}`: what the requester sends to the person who answers. */
export function requestLink(publicUrl: string, id: string, fingerprint: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/r/${id}#${fingerprint}`;
}

/** `{PUBLIC_URL}/r/{id}/open#{R}`: what the requester keeps; the only key to the answer. */
export function readingLink(publicUrl: string, id: string, readingSecret: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/r/${id}/open#${readingSecret}`;
}

/**
 * Both links of a request just made with these keys, on the server's public address as the
 * server spells it in the answer's `url` (`{PUBLIC_URL}/r/{id}`): the web app and the CLI alike.
 */
export function linksOfCreatedRequest(
  created: { id: string; url: string },
  keys: Pick<RequestKeys, "fingerprint" | "readingSecret">,
): { requestLink: string; readingLink: string } {
  const base = created.url.slice(0, created.url.lastIndexOf("/r/"));
  return {
    requestLink: requestLink(base, created.id, keys.fingerprint),
    readingLink: readingLink(base, created.id, keys.readingSecret),
  };
}

const READING_LINK = /\/r\/([A-Za-z0-9_-]{22,64})\/open\/?#([A-Za-z0-9_-]+)$/;

/** The request id and R from a reading link; InvalidLinkError when it is not one. */
export function parseReadingLink(link: string): { id: string; readingSecret: string } {
  const match = READING_LINK.exec(link.trim());
  if (match?.[1] && match[2]) {
    try {
      bytesOf(match[2], READING_SECRET_BYTES, "reading secret");
      return { id: match[1], readingSecret: match[2] };
    } catch {
      // fall through to the error below
    }
  }
  throw new InvalidLinkError(
    "This is not a Hushlink reading link: it looks like …/r/ID/open#SECRET.",
  );
}
