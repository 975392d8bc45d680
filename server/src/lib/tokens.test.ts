import { describe, expect, it } from "vitest";

import { hashBase64UrlBytes, hashToken, newTimeOrderedId } from "./tokens.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newTimeOrderedId", () => {
  it("is a UUIDv7 whose first 48 bits are the time in milliseconds", () => {
    const at = Date.UTC(2031, 0, 2, 3, 4, 5, 678);
    const id = newTimeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it("only grows, also within one millisecond and past 4,096 ids in it", () => {
    const at = Date.UTC(2032, 5, 6);
    const ids = Array.from({ length: 10_000 }, () => newTimeOrderedId(at));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // A clock that steps back does not make ids go back either.
    const after = newTimeOrderedId(at - 60_000);
    expect(after > ids.at(-1)!).toBe(true);
  });
});

describe("the stored hashes", () => {
  // Known answers (SHA-256 of "abc" and of the empty string): the stored hashes of existing
  // tokens must not change with how they are computed.
  it("hashToken is base64url SHA-256 of the token's UTF-8 bytes", () => {
    expect(hashToken("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    expect(hashToken("")).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    expect(hashToken("ü")).toBe(hashBase64UrlBytes(Buffer.from("ü", "utf8").toString("base64url")));
  });

  it("hashBase64UrlBytes hashes the bytes a base64url value encodes, not its text", () => {
    expect(hashBase64UrlBytes("YWJj")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    expect(hashBase64UrlBytes("")).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  });
});
