import type { Readable, Writable } from "node:stream";

import { printable } from "./terminal.js";

/** What a command may touch outside itself; tests pass their own. */
export interface Context {
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  fetch: typeof fetch;
}

export function processContext(): Context {
  return {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    fetch: globalThis.fetch,
  };
}

/**
 * A line of information for people on stderr, so stdout stays clean for pipes. Lines often hold
 * what a server said (names, addresses), so control characters are removed.
 */
export function info(ctx: Context, line: string): void {
  ctx.stderr.write(`${printable(line)}\n`);
}
