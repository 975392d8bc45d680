/**
 * Random passwords for the share form, drawn from the Web Crypto random source. Each character is
 * picked by rejection sampling: random bytes at or above the largest multiple of the alphabet's
 * size are thrown away, so every character is exactly equally likely (a plain `byte % n` would
 * favour the first 256 mod n characters).
 */

export const CHARACTER_SETS = {
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digits: "0123456789",
  symbols: "!#$%&()*+,-./:;<=>?@[]^_{|}~",
} as const;

export type CharacterSet = keyof typeof CHARACTER_SETS;

export const MIN_LENGTH = 8;
export const MAX_LENGTH = 128;
export const DEFAULT_LENGTH = 20;

export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const webCrypto: RandomSource = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * Uniform random integers in [0, n) for n ≤ 256, from bytes of `random`, rejecting the bytes that
 * would bias the result.
 */
export function uniformIndexes(
  n: number,
  count: number,
  random: RandomSource = webCrypto,
): number[] {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError("alphabet of 1 to 256");
  const limit = 256 - (256 % n);
  const out: number[] = [];
  while (out.length < count) {
    // getRandomValues fills at most 65,536 bytes a call.
    const bytes = random(new Uint8Array(Math.min(65_536, Math.max(16, (count - out.length) * 2))));
    for (const byte of bytes) {
      if (byte < limit) out.push(byte % n);
      if (out.length === count) break;
    }
  }
  return out;
}

/**
 * A password of `length` characters from the chosen sets, with at least one character of each
 * chosen set (people's sites often insist), placed at random positions.
 */
export function generatePassword(
  length: number,
  sets: readonly CharacterSet[],
  random: RandomSource = webCrypto,
): string {
  const chosen = [...new Set(sets)];
  if (chosen.length === 0) throw new RangeError("choose at least one character set");
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw new RangeError(`length from ${MIN_LENGTH} to ${MAX_LENGTH}`);
  }
  const alphabet = chosen.map((set) => CHARACTER_SETS[set]).join("");
  for (;;) {
    const picked = uniformIndexes(alphabet.length, length, random).map((i) => alphabet[i]!);
    // Redrawing the whole password (not patching one position) keeps the draw uniform over
    // every password that has each set; with 8+ characters a redraw is rare.
    if (chosen.every((set) => picked.some((c) => CHARACTER_SETS[set].includes(c)))) {
      return picked.join("");
    }
  }
}

/** Bits of entropy of a uniformly drawn password (an upper bound, ignoring the each-set rule). */
export function entropyBits(length: number, sets: readonly CharacterSet[]): number {
  const size = [...new Set(sets)].reduce((sum, set) => sum + CHARACTER_SETS[set].length, 0);
  return size > 1 ? Math.floor(length * Math.log2(size)) : 0;
}
