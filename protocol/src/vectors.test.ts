import { describe, expect, it } from "vitest";

import vectorsFile from "../test-vectors/protocol-v1-vectors.json" with { type: "json" };
import {
  deriveContentKey,
  deriveLinkKeys,
  derivePasswordKeys,
  DecryptionError,
  open,
  seal,
  sha256,
} from "./crypto.js";
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { linkSecretFrom, shareLink } from "./link.js";
import type { ShareVectorsFile } from "./test-vectors.js";

const vectors = (vectorsFile as ShareVectorsFile).vectors;

describe("protocol v1 known-answer vectors", () => {
  it("has the four published vectors", () => {
    expect(vectors.map((v) => v.name)).toEqual([
      "no password",
      "password, default parameters",
      "password, minimum parameters, unicode",
      "empty-ish and quotes",
    ]);
  });

  describe.each(vectors)("$name", (v) => {
    it("builds and parses the link", () => {
      expect(shareLink("https://hushlink.example/", v.linkSecret)).toBe(v.link);
      expect(linkSecretFrom(v.link)).toBe(v.linkSecret);
    });

    it("derives id and view token, and the hash the server stores", async () => {
      const keys = await deriveLinkKeys(v.linkSecret);
      expect(keys.id).toBe(v.id);
      expect(keys.viewToken).toBe(v.viewToken);
      expect(toBase64Url(await sha256(fromBase64Url(v.viewToken)))).toBe(v.viewTokenSha256);
    });

    it("derives the password key, verifier and content key", async () => {
      let passwordKey: Uint8Array | undefined;
      if (v.password !== undefined && v.kdf) {
        const pw = await derivePasswordKeys(v.linkSecret, v.password, v.kdf);
        expect(pw.salt).toBe(v.salt);
        expect(toBase64Url(pw.passwordKey)).toBe(v.passwordKey);
        expect(pw.verifier).toBe(v.verifier);
        expect(toBase64Url(await sha256(fromBase64Url(pw.verifier)))).toBe(v.verifierSha256);
        passwordKey = pw.passwordKey;
      }
      expect(toBase64Url(await deriveContentKey(v.linkSecret, passwordKey))).toBe(v.contentKey);
    });

    it("seals to the exact ciphertext and opens it again", async () => {
      const options = {
        linkSecret: v.linkSecret,
        iv: v.iv,
        ...(v.password ? { password: v.password, kdf: v.kdf } : {}),
      };
      const sealed = await seal(v.text, options);
      expect(sealed.body.id).toBe(v.id);
      expect(sealed.body.viewToken).toBe(v.viewToken);
      expect(sealed.body.iv).toBe(v.iv);
      expect(sealed.body.ciphertext).toBe(v.ciphertext);
      expect(sealed.body.password?.verifier).toBe(v.verifier);
      expect(new TextEncoder().encode(JSON.stringify({ text: v.text }))).toEqual(
        new TextEncoder().encode(v.plaintext),
      );
      const passwordKey = v.passwordKey ? fromBase64Url(v.passwordKey) : undefined;
      expect(await open(v.linkSecret, { ciphertext: v.ciphertext, iv: v.iv }, passwordKey)).toBe(
        v.text,
      );
    });
  });

  it("refuses to open with a wrong password key or a tampered ciphertext", async () => {
    const v = vectors[1]!;
    await expect(
      open(v.linkSecret, { ciphertext: v.ciphertext, iv: v.iv }, new Uint8Array(32)),
    ).rejects.toBeInstanceOf(DecryptionError);
    const tampered = (v.ciphertext[0] === "A" ? "B" : "A") + v.ciphertext.slice(1);
    await expect(
      open(v.linkSecret, { ciphertext: tampered, iv: v.iv }, fromBase64Url(v.passwordKey!)),
    ).rejects.toBeInstanceOf(DecryptionError);
  });
});
