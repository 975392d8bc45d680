import { describe, expect, it } from "vitest";

import extVectorsFile from "../test-vectors/protocol-v1-ext-vectors.json" with { type: "json" };
import {
  DecryptionError,
  deriveContentKey,
  encryptText,
  open,
  openPayload,
  seal,
} from "./crypto.js";
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { decryptFile } from "./files.js";
import { newShareFile, parsePayload, payloadJson, type ShareFile } from "./payload.js";
import type { ExtVectorsFile } from "./test-vectors.js";

const LINK_SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const IV = "AAAAAAAAAAAAAAAA";

describe("share payload with a note", () => {
  it("carries the note inside the ciphertext and gives it back after opening", async () => {
    const sealed = await seal("s3cret", { note: "The staging DB; rotate Friday" });
    expect(sealed.body.ciphertext).not.toContain("rotate");
    expect(await openPayload(sealed.linkSecret, sealed.body)).toEqual({
      text: "s3cret",
      note: "The staging DB; rotate Friday",
    });
    // A reader that only knows {"text"} still opens it.
    expect(await open(sealed.linkSecret, sealed.body)).toBe("s3cret");
  });

  it("without a note encrypts exactly the {text} JSON of protocol step 5", async () => {
    const withoutNote = await seal("abc", { linkSecret: LINK_SECRET, iv: IV });
    const emptyNote = await seal("abc", { linkSecret: LINK_SECRET, iv: IV, note: "" });
    const key = await deriveContentKey(LINK_SECRET);
    const plain = await encryptText(key, "abc", fromBase64Url(IV));
    expect(withoutNote.body.ciphertext).toBe(plain);
    expect(emptyNote.body.ciphertext).toBe(plain);
    expect(await openPayload(LINK_SECRET, withoutNote.body)).toEqual({ text: "abc" });
  });

  it("a note with a password is bound to the password like the text", async () => {
    const sealed = await seal("pw-protected", {
      note: "for Dana",
      password: "blue",
      kdf: { alg: "argon2id", m: 19456, t: 2, p: 1 },
    });
    await expect(openPayload(sealed.linkSecret, sealed.body)).rejects.toThrow(/decrypted/);
  });
});

const extVectors = extVectorsFile as ExtVectorsFile;

describe("share payload with files (SPEC §3.1)", () => {
  const file = (overrides: Partial<ShareFile> = {}): ShareFile => ({
    ...newShareFile({ name: "report.pdf", type: "application/pdf", size: 12345 }),
    ...overrides,
  });

  it("serialises {text, files} exactly as the ext vectors' answer with a file", () => {
    const vector = extVectors.requests.find((v) => v.name === "unicode answer with a file");
    const parsed = parsePayload(JSON.parse(vector!.plaintext));
    expect(parsed?.files).toHaveLength(1);
    expect(payloadJson(parsed!)).toBe(vector!.plaintext);
  });

  it("opens the vector's ciphertext and the listed file with the listed key", async () => {
    const vector = extVectors.requests.find((v) => v.name === "unicode answer with a file")!;
    const key = await globalThis.crypto.subtle.importKey(
      "raw",
      new Uint8Array(fromBase64Url(vector.key)),
      "AES-GCM",
      false,
      ["decrypt"],
    );
    const plain = await globalThis.crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: new Uint8Array(fromBase64Url(vector.iv)),
        additionalData: new TextEncoder().encode("hushlink/v1/request"),
      },
      key,
      new Uint8Array(fromBase64Url(vector.ciphertext)),
    );
    const payload = parsePayload(JSON.parse(new TextDecoder().decode(plain)))!;
    expect(payload.text).toBe("ключ 🔑\r\n");
    const [listed] = payload.files!;
    expect(listed).toMatchObject({ name: "hello.txt", type: "text/plain", size: 5 });
    const blob = extVectors.files.find((f) => f.blob === listed!.blob)!;
    const opened = await decryptFile(
      fromBase64Url(listed!.key),
      fromBase64Url(blob.chunks[0]!.encrypted!),
    );
    expect(new TextDecoder().decode(opened)).toBe("hello");
  });

  it("seals files inside the ciphertext and declares one blob per file", async () => {
    const files = [file(), file({ name: "empty", type: "", size: 0 }), file({ size: 1048577 })];
    const sealed = await seal("", { files });
    expect(sealed.body.blobs).toEqual([
      { id: files[0]!.blob, size: 12345 + 16 },
      { id: files[1]!.blob, size: 16 },
      { id: files[2]!.blob, size: 1048577 + 32 },
    ]);
    expect(sealed.body.ciphertext).not.toContain("report");
    expect(await openPayload(sealed.linkSecret, sealed.body)).toEqual({ text: "", files });
    // A reader that only knows {"text"} still opens it.
    expect(await open(sealed.linkSecret, sealed.body)).toBe("");
  });

  it("keeps text, note and files together, in that key order", async () => {
    const files = [file()];
    const json = payloadJson({ text: "t", note: "n", files });
    expect(Object.keys(JSON.parse(json) as object)).toEqual(["text", "note", "files"]);
    const sealed = await seal("t", { note: "n", files });
    expect(await openPayload(sealed.linkSecret, sealed.body)).toEqual({
      text: "t",
      note: "n",
      files,
    });
  });

  it("without files declares no blobs and encrypts exactly the {text} JSON", async () => {
    const none = await seal("abc", { linkSecret: LINK_SECRET, iv: IV, files: [] });
    const key = await deriveContentKey(LINK_SECRET);
    expect(none.body.ciphertext).toBe(await encryptText(key, "abc", fromBase64Url(IV)));
    expect(none.body.blobs).toBeUndefined();
  });

  it("new files get a fresh 16-byte blob id and 32-byte key, and a cleaned name and type", () => {
    const a = newShareFile({ name: "../.ssh/id_ed25519", type: "Text/Plain", size: 1 });
    const b = newShareFile({ name: "x", type: "not a type", size: 1 });
    expect(fromBase64Url(a.blob)).toHaveLength(16);
    expect(fromBase64Url(a.key)).toHaveLength(32);
    expect(a.blob).not.toBe(b.blob);
    expect(a.key).not.toBe(b.key);
    expect(a.name).toBe("_.ssh_id_ed25519");
    expect(a.type).toBe("text/plain");
    expect(b.type).toBe("");
    expect(() => newShareFile({ name: "x", type: "", size: -1 })).toThrow(RangeError);
  });

  it("cleans a hostile sender's names and types when opening", () => {
    const parsed = parsePayload({
      text: "",
      files: [file({ name: "..\\..\\boot.ini\u202e", type: "<script>alert(1)</script>" })],
    });
    expect(parsed?.files?.[0]).toMatchObject({ name: "_.._boot.ini", type: "" });
  });

  it("refuses a files list it could not open the blobs with", () => {
    const good = file();
    const bad: unknown[] = [
      "not a list",
      [{ ...good, blob: "short" }],
      [{ ...good, key: good.blob }],
      [{ ...good, size: -1 }],
      [{ ...good, size: 1.5 }],
      [{ ...good, size: "5" }],
      [{ ...good, name: 5 }],
      [{ ...good, type: null }],
      [null],
      [good, good],
    ];
    for (const files of bad) expect(parsePayload({ text: "", files })).toBeNull();
    expect(parsePayload({ text: "", files: [] })).toEqual({ text: "" });
  });

  it("a tampered files list fails to decrypt like the text", async () => {
    const sealed = await seal("", { files: [file()] });
    const bytes = fromBase64Url(sealed.body.ciphertext);
    bytes[bytes.length - 20]! ^= 1;
    await expect(
      openPayload(sealed.linkSecret, { ...sealed.body, ciphertext: toBase64Url(bytes) }),
    ).rejects.toThrow(DecryptionError);
  });
});
