import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { forgetLinks, keepLinks, keptLink } from "./kept-links";

/** The little of `window` the module uses: localStorage. */
function fakeStorage() {
  const store = new Map<string, string>();
  vi.stubGlobal("window", {
    localStorage: {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    },
  });
  return store;
}

const hourFromNow = () => new Date(Date.now() + 3600_000).toISOString();

let store: Map<string, string>;
beforeEach(() => {
  store = fakeStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the recipient links a browser keeps for Resend", () => {
  it("keeps each recipient's link per account and share, whatever the address's case", () => {
    keepLinks("u1", "share1", hourFromNow(), [
      { email: "Ana@Example.com", linkSecret: "S-ana" },
      { email: "bo@example.com", linkSecret: "S-bo" },
    ]);
    expect(keptLink("u1", "share1", "ana@example.com")).toBe("S-ana");
    expect(keptLink("u1", "share1", "BO@example.com")).toBe("S-bo");
    // Another account signed in on the same browser sees none of them.
    expect(keptLink("u2", "share1", "ana@example.com")).toBeNull();
    expect(keptLink("u1", "share2", "ana@example.com")).toBeNull();
  });

  it("forgets one revoked link, then the share's last, then nothing is stored", () => {
    keepLinks("u1", "share1", hourFromNow(), [
      { email: "ana@example.com", linkSecret: "S-ana" },
      { email: "bo@example.com", linkSecret: "S-bo" },
    ]);
    forgetLinks("u1", "share1", "ana@example.com");
    expect(keptLink("u1", "share1", "ana@example.com")).toBeNull();
    expect(keptLink("u1", "share1", "bo@example.com")).toBe("S-bo");
    forgetLinks("u1", "share1", "bo@example.com");
    expect(store.size).toBe(0);
  });

  it("forgets a deleted share's links at once, and an expired share's at the next read", () => {
    keepLinks("u1", "gone", hourFromNow(), [{ email: "a@example.com", linkSecret: "S1" }]);
    keepLinks("u1", "old", new Date(Date.now() - 1000).toISOString(), [
      { email: "a@example.com", linkSecret: "S2" },
    ]);
    forgetLinks("u1", "gone");
    expect(keptLink("u1", "gone", "a@example.com")).toBeNull();
    expect(keptLink("u1", "old", "a@example.com")).toBeNull();
    keepLinks("u1", "new", hourFromNow(), [{ email: "b@example.com", linkSecret: "S3" }]);
    const raw = [...store.values()].join("");
    expect(raw).not.toContain("S1");
    expect(raw).not.toContain("S2");
    expect(raw).toContain("S3");
  });

  it("reads damaged storage as empty, and works without storage at all", () => {
    store.set("hushlink.recipient-links.u1", "{not json");
    expect(keptLink("u1", "s", "a@example.com")).toBeNull();
    vi.stubGlobal("window", {
      get localStorage(): Storage {
        throw new Error("storage is off");
      },
    });
    keepLinks("u1", "s", hourFromNow(), [{ email: "a@example.com", linkSecret: "S" }]);
    expect(keptLink("u1", "s", "a@example.com")).toBeNull();
  });
});
