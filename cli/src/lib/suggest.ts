/** Edit distance where swapping two neighbours counts as one edit ("gte" → "get"). */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (rows[i] ?? [])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known name a mistyped one most likely meant ("shrae" → "share", "lst" → "list"), or null
 * when none is close: at most two edits, or a prefix of three letters or more.
 */
export function didYouMean(typed: string, known: readonly string[]): string | null {
  const word = typed.toLowerCase();
  let best: { name: string; score: number } | null = null;
  for (const name of known) {
    const score = word.length >= 3 && name.startsWith(word) ? 0.5 : distance(word, name);
    if (
      score <= Math.min(2, Math.max(1, Math.floor(name.length / 2))) &&
      (!best || score < best.score)
    ) {
      best = { name, score };
    }
  }
  return best?.name ?? null;
}

/** ` Did you mean "share"?` or nothing, to append to an unknown-name message. */
export function suggestion(typed: string, known: readonly string[]): string {
  const guess = didYouMean(typed, known);
  return guess ? ` Did you mean "${guess}"?` : "";
}
