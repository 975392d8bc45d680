/**
 * Timing comparisons of two paths that must take the same time (reset-timing, signup-enumeration,
 * sso-password-timing): pairs interleaved so that slow spells of the machine fall on both alike,
 * compared by the mean of their faster halves, with a tolerance raised by a bootstrap estimate of
 * the spread by chance on a noisy run.
 */

/** The mean of the faster half: how long the path takes when the machine lets it run. */
export function fasterHalfMean(values: number[]): number {
  const half = [...values].sort((a, b) => a - b).slice(0, Math.ceil(values.length / 2));
  return half.reduce((sum, v) => sum + v, 0) / half.length;
}

/** How much `fasterHalfMean(other) - fasterHalfMean(base)` varies by chance (bootstrap). */
export function chanceSpread(base: number[], other: number[], rounds = 400): number {
  const resample = (xs: number[]) => xs.map(() => xs[Math.floor(Math.random() * xs.length)]!);
  const gaps = Array.from(
    { length: rounds },
    () => fasterHalfMean(resample(other)) - fasterHalfMean(resample(base)),
  );
  const mean = gaps.reduce((sum, g) => sum + g, 0) / rounds;
  return Math.sqrt(gaps.reduce((sum, g) => sum + (g - mean) ** 2, 0) / rounds);
}

/**
 * `pairs` timings of each path, one after the other, alternating which goes first (`base` in the
 * even pairs), so that neither always follows the other's after-effects.
 */
export async function interleavedPairs(
  pairs: number,
  time: { base: () => Promise<number>; other: () => Promise<number> },
): Promise<{ base: number[]; other: number[] }> {
  const base: number[] = [];
  const other: number[] = [];
  for (let i = 0; i < pairs; i++) {
    for (const isOther of i % 2 === 0 ? [false, true] : [true, false]) {
      if (isOther) other.push(await time.other());
      else base.push(await time.base());
    }
  }
  return { base, other };
}

/**
 * How far apart the faster halves are (`other` less `base`), and the most they may be: `floorMs`,
 * or three times the spread by chance when the run was too noisy to tell that much.
 */
export function fasterHalvesGap(base: number[], other: number[], floorMs: number) {
  return {
    gap: fasterHalfMean(other) - fasterHalfMean(base),
    tolerance: Math.max(floorMs, 3 * chanceSpread(base, other)),
  };
}
