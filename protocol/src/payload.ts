/**
 * What a share's ciphertext holds (SPEC step 5 and §3.1): `{"text"}`, plus an optional `note`
 * (a message from the sender shown above the secret, an extension readers that do not know it
 * ignore) and an optional `files` list. Without a note or files the JSON is byte for byte what the
 * protocol vectors expect; with files and no note it is the §3.1 shape `{"text", "files"}`.
 */
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { sanitiseFileName } from "./file-names.js";
import { BLOB_ID_BYTES, FILE_KEY_BYTES } from "./file-sizes.js";

/** One file of a share (SPEC §3.1): its blob id, file key, and what the viewer is shown. */
export interface ShareFile {
  /** Blob id, 16 random bytes, base64url. */
  blob: string;
  name: string;
  /** Media type as the sender's system named it; shown, never used to open the file. */
  type: string;
  /** Plaintext size in bytes. */
  size: number;
  /** File key, 32 random bytes, base64url. */
  key: string;
}

export interface SharePayload {
  text: string;
  note?: string;
  files?: ShareFile[];
}

/** Longest media type kept; anything longer, or not shaped like one, is shown as unknown. */
const MAX_TYPE_LENGTH = 255;
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;.*)?$/;

/**
 * A file about to be shared: a fresh blob id and file key, its name cleaned as a viewer would
 * clean it (so what the sender sees listed is what the viewer saves), its plaintext size.
 */
export function newShareFile(file: { name: string; type: string; size: number }): ShareFile {
  const random = (length: number) =>
    toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(length)));
  if (!Number.isSafeInteger(file.size) || file.size < 0) {
    throw new RangeError("file size must be a whole number of bytes");
  }
  return {
    blob: random(BLOB_ID_BYTES),
    name: sanitiseFileName(file.name),
    type: cleanMediaType(file.type),
    size: file.size,
    key: random(FILE_KEY_BYTES),
  };
}

/** The UTF-8 JSON that is encrypted. Key order and absence are fixed (see the file comment). */
export function payloadJson(payload: SharePayload): string {
  const json: { text: string; note?: string; files?: ShareFile[] } = { text: payload.text };
  if (payload.note) json.note = payload.note;
  if (payload.files && payload.files.length > 0) {
    json.files = payload.files.map(({ blob, name, type, size, key }) => ({
      blob,
      name,
      type,
      size,
      key,
    }));
  }
  return JSON.stringify(json);
}

function isBytes(value: unknown, length: number): value is string {
  if (typeof value !== "string") return false;
  try {
    return fromBase64Url(value).length === length;
  } catch {
    return false;
  }
}

/** A media type safe to show, or "" when the sender's value is not one. */
export function cleanMediaType(type: string): string {
  const trimmed = type.trim().toLowerCase();
  return trimmed.length <= MAX_TYPE_LENGTH && MEDIA_TYPE.test(trimmed) ? trimmed : "";
}

function parseFile(entry: unknown): ShareFile | null {
  if (typeof entry !== "object" || entry === null) return null;
  const { blob, name, type, size, key } = entry as Record<string, unknown>;
  if (!isBytes(blob, BLOB_ID_BYTES) || !isBytes(key, FILE_KEY_BYTES)) return null;
  if (typeof name !== "string" || typeof type !== "string") return null;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return null;
  // Names and types come from the sender: the viewer only ever gets the cleaned forms.
  return { blob, name: sanitiseFileName(name), type: cleanMediaType(type), size, key };
}

/**
 * The decrypted JSON → a payload, or null when it is not one. A note that is not a string is
 * ignored (the secret still opens); a files list that does not parse is refused, because the
 * blobs could not be opened without it.
 */
export function parsePayload(value: unknown): SharePayload | null {
  if (typeof value !== "object" || value === null || !("text" in value)) return null;
  const { text } = value;
  if (typeof text !== "string") return null;
  const payload: SharePayload = { text };
  if ("note" in value && typeof value.note === "string" && value.note) payload.note = value.note;
  if ("files" in value && value.files !== undefined) {
    if (!Array.isArray(value.files)) return null;
    const files = (value.files as unknown[]).map(parseFile);
    if (files.some((file) => file === null)) return null;
    const blobs = new Set(files.map((file) => file?.blob));
    if (blobs.size !== files.length) return null;
    if (files.length > 0) payload.files = files as ShareFile[];
  }
  return payload;
}
