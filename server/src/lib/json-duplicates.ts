/**
 * Whether a JSON text that parses names a member twice in one object. `JSON.parse` keeps the last
 * of them without a word, so `{"viewToken": A, "viewToken": B}` meant B here and may mean A to
 * anything that read the body before us (a proxy, a filter, a log): a body is taken as sent or
 * refused, never altered (docs/SPEC.md, HTTP conventions), and this one cannot be taken as sent.
 * Names are compared as parsed, so `"a"` and `"\u0061"` are the same. Only for text that
 * `JSON.parse` accepted: its strings, brackets and commas are then well formed.
 */
export function hasDuplicateKey(text: string): boolean {
  // One entry per open bracket: the names seen so far in an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const keys = stack[stack.length - 1];
      if (keys && expectKey) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (keys.has(name)) return true;
        keys.add(name);
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
    i += 1;
  }
  return false;
}

/** The deepest a JSON body may nest (objects and arrays); the API's own bodies take five. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a JSON text nests objects and arrays deeper than `max`, counted without parsing it:
 * JSON.parse takes time and stack in the depth, so a deep body is refused before it is parsed.
 * Brackets inside strings do not count. Text that is no JSON may answer either way: the parser
 * refuses it after.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = stringEnd(text, i);
      if (i < 0) return false;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth -= 1;
  }
  return false;
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
