/**
 * The features' boundaries as eslint.config.js keeps them (issue 16, ARCHITECTURE.md): no file of
 * one feature imports another feature's repository, by any form of import, and no copy of the
 * protocol's Access union. Lints probe sources as if they stood in a feature's folder; only the
 * two rules under test run, without type information, so this takes a second, not a project
 * build.
 */
import { fileURLToPath } from "node:url";

import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const RULES = new Set(["no-restricted-imports", "no-restricted-syntax"]);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => RULES.has(ruleId),
  });
});

/** The rules that refuse `source` at `path`, one entry per refused line. */
async function refusals(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${root}${path}` });
  if (!result) throw new Error(`nothing linted for ${path}`);
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${path}: ${fatal.message}`);
  return result.messages.map((m) => `${m.line}: ${m.ruleId}`);
}

const TOKENS = "server/src/features/tokens/probe.ts";

describe("a feature's files", () => {
  it("may not import another feature's repository, in any form", async () => {
    const source = [
      'import { findShare } from "../shares/shares.repository.js";',
      'import type { ShareRow } from "../shares/shares.repository.js";',
      'export * from "../orgs/orgs.repository.js";',
      'export { findOrg } from "../orgs/orgs.repository.js";',
      'export const later = () => import("../shares/shares.repository.js");',
      "export const used: unknown = [findShare, null as unknown as ShareRow];",
    ].join("\n");
    expect(await refusals(TOKENS, source)).toEqual([
      "1: no-restricted-imports",
      "2: no-restricted-imports",
      "3: no-restricted-imports",
      "4: no-restricted-imports",
      "5: no-restricted-syntax",
    ]);
  });

  it("may not import one from a nested folder either", async () => {
    const source = 'export * from "../../shares/shares.list.repository.js";';
    expect(await refusals("server/src/features/blobs/store/probe.ts", source)).toEqual([
      "1: no-restricted-imports",
    ]);
  });

  it("may import their own repository, and another feature's service", async () => {
    const own = [
      'export * from "./tokens.repository.js";',
      'export { createSharesService } from "../shares/shares.service.js";',
    ].join("\n");
    expect(await refusals(TOKENS, own)).toEqual([]);
    const nested = 'export * from "../blobs.repository.js";';
    expect(await refusals("server/src/features/blobs/store/probe.ts", nested)).toEqual([]);
  });

  it("may not copy the protocol's Access union, nor may the web or the CLI", async () => {
    const copy = 'export type Mine = "anyone" | "organization";';
    expect(await refusals(TOKENS, copy)).toEqual(["1: no-restricted-syntax"]);
    expect(await refusals("web/src/features/shares/probe.ts", copy)).toEqual([
      "1: no-restricted-syntax",
    ]);
    expect(await refusals("cli/src/lib/probe.ts", copy)).toEqual(["1: no-restricted-syntax"]);
  });
});
