import { createHash, randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { openWithRootKey, rootKeyId, sealWithRootKey, SealError } from "./sealing.js";

const key = Buffer.alloc(32, 7);
const aad = "hushlink/mail_outbox/1/verify_email/payload";

function expectSealError(fn: () => unknown, code: SealError["code"]) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SealError);
    expect((error as SealError).code).toBe(code);
    return;
  }
  throw new Error("expected a SealError");
}

describe("sealing with the root key", () => {
  it("round-trips text, including non-ASCII and empty", () => {
    for (const text of ["", "hello", "émoji ✓ 🔑", "x".repeat(100_000)]) {
      expect(openWithRootKey(key, sealWithRootKey(key, text, aad), aad)).toBe(text);
    }
  });

  it("writes v1.<keyId>.<iv>.<ciphertext+tag> in base64url with a 12-byte IV", () => {
    const sealed = sealWithRootKey(key, "hello", aad);
    const [version, keyId, iv, body, ...rest] = sealed.split(".");
    expect(rest).toEqual([]);
    expect(version).toBe("v1");
    expect(keyId).toBe(createHash("sha256").update(key).digest("base64url").slice(0, 8));
    expect(keyId).toBe(rootKeyId(key));
    expect(Buffer.from(iv ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(body ?? "", "base64url")).toHaveLength(5 + 16);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("hello");
  });

  it("uses a fresh IV every time", () => {
    const a = sealWithRootKey(key, "same", aad);
    const b = sealWithRootKey(key, "same", aad);
    expect(a).not.toBe(b);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
  });

  it("refuses another AAD (a value moved to another row or column)", () => {
    const sealed = sealWithRootKey(key, "hello", aad);
    expectSealError(() => openWithRootKey(key, sealed, `${aad}x`), "sealed_tampered");
  });

  it("refuses a changed ciphertext, tag or IV", () => {
    const sealed = sealWithRootKey(key, "hello world", aad);
    const [v, id, iv, body] = sealed.split(".") as [string, string, string, string];
    const flip = (text: string, at: number) => {
      const bytes = Buffer.from(text, "base64url");
      bytes[at] = (bytes[at] ?? 0) ^ 1;
      return bytes.toString("base64url");
    };
    for (const changed of [
      [v, id, iv, flip(body, 0)],
      [v, id, iv, flip(body, Buffer.from(body, "base64url").length - 1)],
      [v, id, flip(iv, 3), body],
    ]) {
      expectSealError(() => openWithRootKey(key, changed.join("."), aad), "sealed_tampered");
    }
  });

  it("names an unknown key instead of calling it tampered, and opens with a retired key", () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealed = sealWithRootKey(oldKey, "before rotation", aad);
    expectSealError(() => openWithRootKey(newKey, sealed, aad), "sealed_unknown_key");
    expect(openWithRootKey([newKey, oldKey], sealed, aad)).toBe("before rotation");
  });

  it("refuses malformed values and keys of the wrong size", () => {
    for (const bad of ["", "v1", "v2.a.b.c", "v1.abc.def", "v1.a.b.c.d", "v1.abcdefgh.!!.xx"]) {
      expectSealError(() => openWithRootKey(key, bad, aad), "sealed_malformed");
    }
    const sealed = sealWithRootKey(key, "x", aad).split(".");
    sealed[2] = Buffer.alloc(8).toString("base64url");
    expectSealError(() => openWithRootKey(key, sealed.join("."), aad), "sealed_malformed");
    expect(() => sealWithRootKey(Buffer.alloc(16), "x", aad)).toThrow(/32 bytes/);
  });
});
