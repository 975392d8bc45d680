import { toBase64Url } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { UsageError } from "../src/lib/errors.js";
import { isLoopback, normalizeServer, parseLink, sameOrigin } from "../src/lib/links.js";

const S = toBase64Url(new Uint8Array(32).fill(7));

describe("parseLink", () => {
  it("reads a share link and its server", () => {
    expect(parseLink(`https://hush.example.com/s#${S}`, "get")).toEqual({
      kind: "share",
      linkSecret: S,
      base: "https://hush.example.com",
    });
  });

  it("keeps a path prefix the instance is served under", () => {
    expect(parseLink(`https://example.com/vault/s#${S}`, "get")).toMatchObject({
      base: "https://example.com/vault",
    });
  });

  it("accepts a bare fragment or link secret, without a server", () => {
    expect(parseLink(`#${S}`, "get")).toEqual({ kind: "share", linkSecret: S, base: null });
    expect(parseLink(S, "get")).toEqual({ kind: "share", linkSecret: S, base: null });
  });

  it("reads a bare share id (16 bytes) as one, and a URL or #fragment of that size as no link", () => {
    const id = "Xk3v9QmTq0m0bW1a8J2c_A";
    expect(parseLink(id, "status")).toEqual({ kind: "id", id, base: null });
    expect(() => parseLink(`#${id}`, "status")).toThrow(UsageError);
    expect(() => parseLink(`https://hush.example.com/s#${id}`, "status")).toThrow(UsageError);
  });

  it("reads a manage link", () => {
    expect(parseLink("http://127.0.0.1:8080/manage/abcDEF_-12#tok3n", "delete")).toEqual({
      kind: "manage",
      id: "abcDEF_-12",
      manageToken: "tok3n",
      base: "http://127.0.0.1:8080",
    });
  });

  // A 32-byte fragment is not enough: a request's link (#fingerprint) and reading link (#R)
  // carry one too, and were taken for share links whose server lived at …/r/ID: the calls went
  // to …/r/ID/api/v1/… and came back as "no GET endpoint at this path" (exit 1).
  it.each([
    [`https://hush.example.com/r/Xk3v9QmTq0m0bW1a8J2c_A#${S}`, /hushlink request answer/],
    [`https://hush.example.com/r/Xk3v9QmTq0m0bW1a8J2c_A/open#${S}`, /hushlink request open/],
    [`https://hush.example.com/vault/r/Xk3v9QmTq0m0bW1a8J2c_A/open/#${S}`, /hushlink request open/],
    [`https://hush.example.com/#${S}`, /not a Hushlink share link/],
    [`https://hush.example.com/login#${S}`, /not a Hushlink share link/],
  ])("refuses %s, which is no share link, saying what it is", (link, words) => {
    for (const command of ["get", "status", "delete"]) {
      expect(() => parseLink(link, command)).toThrow(UsageError);
      expect(() => parseLink(link, command)).toThrow(words);
    }
  });

  it.each([
    "https://hush.example.com/s",
    "https://hush.example.com/s#short",
    "https://hush.example.com/manage/abc",
    "ftp://hush.example.com/s#" + S,
    "not a link",
    "",
  ])("refuses %j with a usage error", (link) => {
    expect(() => parseLink(link, "get")).toThrow(UsageError);
  });
});

describe("normalizeServer", () => {
  it("drops trailing slashes, queries and fragments", () => {
    expect(normalizeServer("https://hush.example.com/", "--server")).toBe(
      "https://hush.example.com",
    );
    expect(normalizeServer("http://localhost:8080/x/?a=1#b", "--server")).toBe(
      "http://localhost:8080/x",
    );
  });

  it.each(["hush.example.com", "ftp://x", "https://user:pw@x.example"])("refuses %j", (value) => {
    expect(() => normalizeServer(value, "--server")).toThrow(/--server/);
  });
});

describe("isLoopback and sameOrigin", () => {
  it("knows loopback hosts", () => {
    expect(isLoopback("http://127.0.0.1:1")).toBe(true);
    expect(isLoopback("http://localhost")).toBe(true);
    expect(isLoopback("http://[::1]:8080")).toBe(true);
    expect(isLoopback("http://10.0.0.1")).toBe(false);
  });
  it("compares origins, not paths", () => {
    expect(sameOrigin("https://a.example/x", "https://a.example/y")).toBe(true);
    expect(sameOrigin("https://a.example", "http://a.example")).toBe(false);
    expect(sameOrigin("https://a.example", "https://a.example:444")).toBe(false);
  });
});
