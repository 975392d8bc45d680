/**
 * File names from a share's encrypted JSON are chosen by whoever made the share, so they are
 * untrusted input when a viewer saves a file: a name must not climb out of the chosen folder,
 * hide itself, address a device, or disguise its extension with invisible characters.
 */

/** Longest name we save, in UTF-8 bytes: the common file-system limit of one path component. */
export const MAX_FILE_NAME_BYTES = 255;
export const FALLBACK_FILE_NAME = "file";

// Path separators and what Windows refuses in a name (a drive or stream colon, wildcards, pipes).
const UNSAFE = /[/\\:*?"<>|]/g;
// C0 and C1 controls, DEL, and the invisible format characters that can turn "txt.exe" around
// on screen (bidi overrides and isolates, marks, line and paragraph separators, BOM, soft hyphen).
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// Device names Windows opens instead of a file, whatever the extension, and with spaces before it
// ("nul .txt"); COM¹-³ and LPT¹-³ are reserved as COM1-9 and LPT1-9 are.
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$) *(\..*)?$/i;

/**
 * A name that is safe to save under in any folder: no path separators, no control or invisible
 * characters, no leading dots (no hidden files, no `..`), no trailing dots or spaces, no device
 * names, at most 255 UTF-8 bytes with the extension kept when it has to be shortened, never empty.
 */
export function sanitiseFileName(name: string, fallback = FALLBACK_FILE_NAME): string {
  let clean = name.normalize("NFC").replace(INVISIBLE, "").replace(UNSAFE, "_");
  clean = clean.replace(/\s+/g, " ").trim();
  clean = clean.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (DEVICE.test(clean)) clean = `_${clean}`;
  clean = shortenFileName(clean, MAX_FILE_NAME_BYTES);
  return clean === "" ? fallback : clean;
}

const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Cuts whole code points off the stem (keeping an extension of up to 16 characters) until it fits
 * in `maxBytes` of UTF-8: a saver that adds to a clean name (" (1)") shortens it first with this.
 */
export function shortenFileName(name: string, maxBytes: number): string {
  if (byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 17 ? name.slice(dot) : "";
  const stem = Array.from(extension ? name.slice(0, dot) : name);
  const budget = maxBytes - byteLength(extension);
  let used = 0;
  let kept = "";
  for (const char of stem) {
    const size = byteLength(char);
    if (used + size > budget) break;
    kept += char;
    used += size;
  }
  return kept.replace(/[.\s]+$/, "") + extension;
}
