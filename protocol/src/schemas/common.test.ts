import { describe, expect, it } from "vitest";
import { z } from "zod";

import { toBase64Url } from "../encoding.js";
import { base64UrlBetween, base64UrlBytes } from "./common.js";

/**
 * One value, one spelling: a last character whose unused low bits are not zero decodes to the
 * same bytes as the canonical one (Buffer and atob drop those bits), so two strings would name
 * one id, token or verifier.
 */
describe("canonical base64url", () => {
  const bytes32 = base64UrlBytes(32);
  const bytes16 = base64UrlBytes(16);
  const between = base64UrlBetween(16, 64);

  it.each([
    // 32 bytes: 43 characters, the last carries 4 bits and 2 unused ones.
    [bytes32, "x".repeat(43), "x".repeat(42) + "w"],
    [bytes32, "A".repeat(42) + "B", "A".repeat(43)],
    [bytes32, "_".repeat(43), "_".repeat(42) + "8"],
    // 16 bytes: 22 characters, the last carries 2 bits and 4 unused ones.
    [bytes16, "A".repeat(21) + "B", "A".repeat(22)],
    [bytes16, "A".repeat(21) + "P", "A".repeat(22)],
    [bytes16, "_".repeat(22), "_".repeat(21) + "w"],
    [between, "A".repeat(21) + "H", "A".repeat(22)],
    [between, "A".repeat(42) + "-", "A".repeat(42) + "8"],
  ])(
    "refuses a spelling with stray low bits and takes the canonical one (%#)",
    (schema, bad, good) => {
      expect(Buffer.from(bad, "base64url")).toEqual(Buffer.from(good, "base64url"));
      const refused = schema.safeParse(bad);
      expect(refused.success).toBe(false);
      expect(refused.error?.issues.map((i) => i.message)).toEqual([
        "must be canonical base64url (the last character's unused bits must be zero)",
      ]);
      expect(schema.safeParse(good).success).toBe(true);
    },
  );

  it("takes what toBase64Url writes, every length and last character", () => {
    for (let n = 16; n <= 64; n++) {
      for (const last of [0, 1, 0x0f, 0x10, 0x3f, 0x40, 0x80, 0xff]) {
        const value = Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? last : i * 7));
        const text = toBase64Url(value);
        expect(between.safeParse(text).success, text).toBe(true);
        if (n === 16) expect(bytes16.safeParse(text).success, text).toBe(true);
        if (n === 32) expect(bytes32.safeParse(text).success, text).toBe(true);
      }
    }
  });

  it("still refuses the other bad shapes as before", () => {
    expect(bytes32.safeParse("A".repeat(42)).success).toBe(false);
    expect(bytes32.safeParse("A".repeat(42) + "=").success).toBe(false);
    expect(bytes32.safeParse("A".repeat(42) + "+").success).toBe(false);
    expect(between.safeParse("A".repeat(21)).success).toBe(false);
    expect(between.safeParse("A".repeat(25)).success).toBe(false);
  });
});

describe("the OpenAPI pattern of fixed-length base64url", () => {
  it.each([
    [12, "^[A-Za-z0-9_-]{16}$"],
    [16, "^[A-Za-z0-9_-]{21}[AQgw]$"],
    [32, "^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$"],
  ])("says the same as the schema for %i bytes", (bytes, pattern) => {
    const schema = base64UrlBytes(bytes);
    expect(z.toJSONSchema(schema)).toMatchObject({ pattern });
    const regex = new RegExp(pattern);
    for (let n = 0; n < 200; n++) {
      const value = Uint8Array.from({ length: bytes }, (_, i) => (i * 31 + n * 7) & 0xff);
      const text = toBase64Url(value);
      const spelled =
        text.slice(0, -1) +
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[n % 64];
      expect(regex.test(spelled), spelled).toBe(schema.safeParse(spelled).success);
      expect(regex.test(text)).toBe(true);
    }
  });
});
