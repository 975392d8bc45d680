import { describe, expect, it } from "vitest";

import { deriveContentKey, encryptText, open, openPayload, seal } from "./crypto.js";
import { fromBase64Url } from "./encoding.js";

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
