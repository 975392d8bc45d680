/**
 * Issue 24: tokens are drawn from a pool the CSPRNG fills 4 KiB at a time (lib/tokens.ts), not
 * one `randomBytes` call each. The pool must hand every byte out once, in order, and only bytes
 * the CSPRNG wrote.
 */
import type * as crypto from "node:crypto";

import { beforeEach, describe, expect, it, vi } from "vitest";

const fills: Buffer[] = [];
const calls = { randomBytes: 0, randomFillSync: 0 };

vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  return {
    ...real,
    randomBytes: (size: number) => {
      calls.randomBytes++;
      return real.randomBytes(size);
    },
    randomFillSync: (buffer: Buffer) => {
      calls.randomFillSync++;
      real.randomFillSync(buffer);
      fills.push(Buffer.from(buffer));
      return buffer;
    },
  };
});

const { newToken } = await import("./tokens.js");

describe("newToken", () => {
  beforeEach(() => {
    calls.randomBytes = 0;
    calls.randomFillSync = 0;
  });

  it("calls the CSPRNG once per 4 KiB of tokens, not once per token", () => {
    const tokens = Array.from({ length: 1_000 }, () => newToken());
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // 32,000 bytes: 8 fills of 4,096 (the first may fall on a pool another test began).
    expect(calls.randomBytes + calls.randomFillSync).toBeLessThanOrEqual(9);
  });

  it("hands out each byte the CSPRNG wrote once, in order, whatever the sizes", () => {
    fills.length = 0;
    // Start on a fresh pool: use up whatever is left of the current one.
    for (let i = 0; i < 200 && fills.length === 0; i++) newToken(24);
    expect(fills).toHaveLength(1);
    let fill = 0;
    let at = 24;
    for (let i = 0; i < 400; i++) {
      const size = i % 2 ? 32 : 24;
      const token = Buffer.from(newToken(size), "base64url");
      // A token that does not fit in what is left starts the next fill.
      if (at + size > fills[fill]!.length) {
        fill++;
        at = 0;
      }
      expect(token.equals(fills[fill]!.subarray(at, at + size)), `token ${i}`).toBe(true);
      at += size;
    }
    expect(fill).toBeGreaterThanOrEqual(2);
    expect(fills).toHaveLength(fill + 1);
    expect(calls.randomBytes).toBe(0);
  });

  it("takes a large token straight from the CSPRNG", () => {
    expect(Buffer.from(newToken(1_024), "base64url")).toHaveLength(1_024);
    expect(calls.randomBytes).toBe(1);
  });
});
