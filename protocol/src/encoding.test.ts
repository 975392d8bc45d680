import { describe, expect, it } from "vitest";

import { fromBase64Url, toBase64Url } from "./encoding.js";
import { InvalidLinkError, linkSecretFrom } from "./link.js";

describe("base64url", () => {
  it("round-trips every length without padding", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).not.toMatch(/[=+/]/);
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it.each(["a", "ab=c", "ab+c", "ab/c", "a b", "AB"])("rejects %j", (text) => {
    // "AB" decodes with stray low bits: not the canonical spelling of any byte string.
    expect(() => fromBase64Url(text)).toThrow(TypeError);
  });
});

describe("linkSecretFrom", () => {
  const s = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  it("accepts a link, a fragment or the bare secret", () => {
    expect(linkSecretFrom(`https://x.example/s#${s}`)).toBe(s);
    expect(linkSecretFrom(`#${s}`)).toBe(s);
    expect(linkSecretFrom(` ${s}\n`)).toBe(s);
  });
  it.each(["https://x.example/s", "https://x.example/s#", "https://x.example/s#abc", s + "A"])(
    "rejects %j",
    (link) => {
      expect(() => linkSecretFrom(link)).toThrow(InvalidLinkError);
    },
  );
});
