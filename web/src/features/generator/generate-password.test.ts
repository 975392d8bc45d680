import { describe, expect, it } from "vitest";

import {
  CHARACTER_SETS,
  entropyBits,
  generatePassword,
  uniformIndexes,
  type RandomSource,
} from "./generate-password";

/** A random source that hands out the given bytes in order (then zeros). */
function scripted(bytes: number[]): RandomSource {
  let next = 0;
  return (buffer) => {
    for (let i = 0; i < buffer.length; i++) buffer[i] = bytes[next++] ?? 0;
    return buffer;
  };
}

describe("uniformIndexes", () => {
  it("throws away the bytes that would favour the low indexes", () => {
    // 90 characters: 256 = 2 × 90 + 76, so bytes 180..255 are rejected.
    expect(uniformIndexes(90, 3, scripted([200, 255, 180, 179, 0, 91]))).toEqual([89, 0, 1]);
  });

  it("is uniform: every index as often as the others (chi-square over 180,000 draws)", () => {
    const n = 90;
    const draws = 180_000;
    const counts = new Array<number>(n).fill(0);
    for (const i of uniformIndexes(n, draws)) counts[i]!++;
    const expected = draws / n;
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 89 degrees of freedom: p = 0.0001 at about 145. `byte % 90` would give about 9,000.
    expect(chiSquare).toBeLessThan(145);
    // The low indexes are not favoured, as plain modulo would favour them (3/256 against 2/256).
    const low = counts.slice(0, 76).reduce((a, b) => a + b, 0) / 76;
    const high = counts.slice(76).reduce((a, b) => a + b, 0) / 14;
    expect(low / high).toBeGreaterThan(0.95);
    expect(low / high).toBeLessThan(1.05);
  });
});

describe("generatePassword", () => {
  it("has the asked length, only characters of the chosen sets, and one of each", () => {
    for (let round = 0; round < 200; round++) {
      const password = generatePassword(12, ["lower", "digits"]);
      expect(password).toHaveLength(12);
      expect(password).toMatch(/^[a-z0-9]+$/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
    }
    const all = generatePassword(64, ["lower", "upper", "digits", "symbols"]);
    for (const set of Object.values(CHARACTER_SETS)) {
      expect([...all].some((c) => set.includes(c))).toBe(true);
    }
  });

  it("refuses lengths out of range and an empty choice of sets", () => {
    expect(() => generatePassword(7, ["lower"])).toThrow(RangeError);
    expect(() => generatePassword(129, ["lower"])).toThrow(RangeError);
    expect(() => generatePassword(20, [])).toThrow(RangeError);
  });

  it("differs from one call to the next", () => {
    const seen = new Set(Array.from({ length: 50 }, () => generatePassword(20, ["lower"])));
    expect(seen.size).toBe(50);
  });

  it("states its entropy", () => {
    expect(entropyBits(20, ["lower", "upper", "digits", "symbols"])).toBe(129);
    expect(entropyBits(10, ["digits"])).toBe(33);
  });
});
