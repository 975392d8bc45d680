/**
 * The checks a JSON body gets besides `JSON.parse`, in one pass over its text (issue 24: the
 * create's body used to be read four times more, by our depth and duplicate scans and by
 * secure-json-parse's two key regexes):
 *
 * - depth: `JSON.parse` takes time and stack in the depth, so a body that nests objects and arrays
 *   deeper than MAX_JSON_DEPTH is refused before it is parsed;
 * - a member named twice in one object: `JSON.parse` keeps the last of them without a word, so
 *   `{"viewToken": A, "viewToken": B}` meant B here and may mean A to anything that read the body
 *   before us (a proxy, a filter, a log): a body is taken as sent or refused, never altered
 *   (docs/SPEC.md, HTTP conventions), and this one cannot be taken as sent;
 * - a member named `__proto__` or `constructor`, which the parsed value is then searched for as
 *   secure-json-parse searches it (a `__proto__` key, or a `constructor` object with a `prototype`
 *   key): `forbiddenKey`.
 *
 * Names are compared as parsed, so `"a"`, `"\u0061"` and `"\u005f_proto__"` are what they spell.
 * Brackets inside strings do not count. The depth is counted on any text; the other two answers
 * mean something only for text that `JSON.parse` accepts (its strings, brackets and commas are
 * then well formed), and are asked after it did.
 */

/** The deepest a JSON body may nest (objects and arrays); the API's own bodies take five. */
export const MAX_JSON_DEPTH = 32;

/** `scanJson`'s answer, a set of these bits. */
export const NESTS_TOO_DEEP = 1;
export const DUPLICATE_KEY = 2;
/** A member named `__proto__` or `constructor`: the parsed value needs `forbiddenKey`. */
export const SUSPECT_KEY = 4;

/** Past this many names, an object's are kept in a Set: a scan stays linear in the body. */
const LINEAR_NAMES = 16;

type Names = string[] | Set<string>;

/**
 * One pass over `text`: NESTS_TOO_DEEP as soon as it nests deeper than `max` (nothing else is
 * then looked for), else DUPLICATE_KEY and SUSPECT_KEY as found. A string left open ends the scan.
 */
export function scanJson(text: string, max: number): number {
  let found = 0;
  // Counted apart from the stack, as text that is no JSON may close more than it opened.
  let depth = 0;
  // One entry per open bracket: the names seen so far in an object, null for an array.
  const stack: (Names | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (end < 0) return found;
      if (expectKey) {
        expectKey = false;
        const name = memberName(text, i, end);
        if (name === "__proto__" || name === "constructor") found |= SUSPECT_KEY;
        const top = stack.length - 1;
        const names = stack[top]!;
        if (Array.isArray(names)) {
          if (names.includes(name)) found |= DUPLICATE_KEY;
          else if (names.length < LINEAR_NAMES) names.push(name);
          else stack[top] = new Set(names).add(name);
        } else if (names.has(name)) found |= DUPLICATE_KEY;
        else names.add(name);
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) return NESTS_TOO_DEEP;
      expectKey = c === 0x7b;
      stack.push(expectKey ? [] : null);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth -= 1;
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
  }
  return found;
}

/**
 * Whether a parsed value has an own `__proto__` key, or a `constructor` object with an own
 * `prototype` key, anywhere: what secure-json-parse refuses (its `filter`), asked only of a body
 * with a SUSPECT_KEY. On the parsed value, not the text: of a name given twice only the last
 * value is there, as it was for secure-json-parse.
 */
export function forbiddenKey(value: unknown): boolean {
  let next: unknown[] = [value];
  while (next.length > 0) {
    const nodes = next;
    next = [];
    for (const node of nodes) {
      if (node === null || typeof node !== "object") continue;
      if (Object.hasOwn(node, "__proto__")) return true;
      if (Object.hasOwn(node, "constructor")) {
        const made = (node as { constructor: unknown }).constructor;
        if (made !== null && typeof made === "object" && Object.hasOwn(made, "prototype")) {
          return true;
        }
      }
      for (const key in node) next.push((node as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** Whether a JSON text that parses names a member twice in one object. */
export function hasDuplicateKey(text: string): boolean {
  return (scanJson(text, Infinity) & DUPLICATE_KEY) !== 0;
}

/** Whether a JSON text nests objects and arrays deeper than `max`; any text may be asked. */
export function nestsDeeperThan(text: string, max: number): boolean {
  return scanJson(text, max) === NESTS_TOO_DEEP;
}

/** The name a member's key spells, from its quotes at `start` and `end`. */
function memberName(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    // A bad escape: the text is no JSON and its parse refuses it; the scan goes on for the depth.
    return raw;
  }
}

/** The index of the quote that closes the string opened at `start`, -1 for none. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    // An even run of backslashes before it escapes only each other: the quote closes the string.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 0x5c) slashes += 1;
    if (slashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
