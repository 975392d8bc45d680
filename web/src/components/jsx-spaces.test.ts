/**
 * A space written in JSX between two elements (`</strong>{" "}<span>`, `{name} <span>`) is not
 * a message: Chinese and Japanese showed it too ("名称 （可选）"). Between two messages the space
 * is SideBySide's or Gap's, which those languages translate to nothing. Inside a <Trans>, the
 * space is part of one message and the translation decides: allowed there.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".tsx") && !entry.name.includes(".test.") ? [path] : [];
  });
}

/** `{" "}`, or a space between a closing tag or expression and an opening tag on one line. */
const SPACE = /\{" "\}|(?:<\/[\w.]+>|\/>|\})[ ]+(?=<[A-Za-z])/g;

/** The spaces of a file that are not inside a <Trans>…</Trans>, as "file:line: text". */
export function loneSpaces(path: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPACE)) {
    const before = text.slice(0, match.index);
    const opened = (before.match(/<Trans[\s>]/g) ?? []).length;
    const closed = (before.match(/<\/Trans>/g) ?? []).length;
    // A line comment (// … </a> <b>) is not JSX.
    const line = before.slice(before.lastIndexOf("\n") + 1);
    if (opened > closed || line.includes("//")) continue;
    const number = before.split("\n").length;
    found.push(`${path.slice(SRC.length)}:${number}: ${line.trim()}${match[0]}`);
  }
  return found;
}

describe("spaces between elements in JSX", () => {
  it("finds one written outside a message, not one inside", () => {
    expect(loneSpaces(`${SRC}x.tsx`, `<p><strong>{a}</strong>{" "}<span>b</span></p>`)).toEqual([
      `x.tsx:1: <p><strong>{a}</strong>{" "}`,
    ]);
    expect(loneSpaces(`${SRC}x.tsx`, `<li>{name} <span>b</span></li>`)).toHaveLength(1);
    expect(loneSpaces(`${SRC}x.tsx`, `<Trans>Sent to{" "}<strong>{to}</strong>.</Trans>`)).toEqual(
      [],
    );
  });

  it("are none in web/src: SideBySide or Gap joins two messages", () => {
    const found = sources(SRC).flatMap((path) => loneSpaces(path, readFileSync(path, "utf8")));
    expect(found).toEqual([]);
  });
});
