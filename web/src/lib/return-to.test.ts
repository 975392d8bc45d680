import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { returnTarget, safeReturnPath, signInHref } from "./return-to";

/** The little of `window` these functions use: an origin, a query and sessionStorage. */
function fakeWindow(search = "") {
  const store = new Map<string, string>();
  vi.stubGlobal("window", {
    location: { origin: "https://hush.example", search },
    sessionStorage: {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    },
  });
  return store;
}

beforeEach(() => {
  fakeWindow();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("safeReturnPath", () => {
  it.each(["/app", "/app/members", "/s#abc_-123", "/invitations/t0k?x=1", "/app#frag"])(
    "accepts the same-origin path %s",
    (path) => {
      expect(safeReturnPath(path)).toBe(path);
    },
  );

  it.each([
    null,
    "",
    "app",
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "/\t/evil.example",
    "/%0a/x\n",
    "javascript:alert(1)",
    "/login",
    "/signup/",
    "/reset-password",
  ])("refuses %j", (value) => {
    expect(safeReturnPath(value)).toBeNull();
  });
});

describe("the sign-in round trip", () => {
  it("keeps a link's fragment out of the query and hands it back once", () => {
    const store = fakeWindow();
    const href = signInHref("/s#linksecret", { remember: true });
    expect(href).toBe("/login?next=%2Fs");
    expect(href).not.toContain("linksecret");
    expect([...store.values()].join()).toContain("/s#linksecret");

    expect(returnTarget("/s")).toBe("/s#linksecret");
    expect(store.size).toBe(0);
    expect(returnTarget("/s")).toBe("/s");
  });

  it("uses the remembered address only when its path is the one asked for", () => {
    signInHref("/s#linksecret", { remember: true });
    expect(returnTarget("/app/tokens")).toBe("/app/tokens");
    signInHref("/s#linksecret", { remember: true });
    expect(returnTarget(null)).toBe("/app");
  });

  it("forgets a remembered address after half an hour", () => {
    vi.useFakeTimers();
    try {
      signInHref("/s#old", { remember: true });
      vi.advanceTimersByTime(31 * 60 * 1000);
      expect(returnTarget("/s")).toBe("/s");
    } finally {
      vi.useRealTimers();
    }
  });

  it("falls back to the dashboard for anything unsafe", () => {
    expect(returnTarget("https://evil.example/")).toBe("/app");
    expect(signInHref("https://evil.example/")).toBe("/login");
  });
});
