/**
 * A third-party client (issue 15): openapi-typescript generates types from the live
 * /api/openapi.json, tsc (strict) type-checks a small openapi-fetch program against them
 * (openapi-client/program.ts: create, list, reveal, a typed error, delete, logo upload), and the
 * program then runs against this server over real HTTP. Redocly's linter passes the document.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { listen, signupLive } from "./helpers/live.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HERE = fileURLToPath(new URL("./openapi-client/", import.meta.url));
/** The smallest PNG: 1×1, one transparent pixel. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

describe("a client generated from the published document", () => {
  let t: TestApp;
  let base: string;
  let document: string;
  // Inside the repository, so the program finds openapi-fetch in node_modules.
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp("sqlite");
    base = await listen(t);
    document = await (await fetch(`${base}/api/openapi.json`)).text();
    dir = mkdtempSync(join(ROOT, "node_modules", ".cache-openapi-client-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it("type-checks strictly, and creates, lists, reveals, deletes and uploads a logo", async () => {
    const ast = await openapiTS(JSON.parse(document) as never, {
      // A default makes a field optional in a body; it is not a promise that it is present.
      defaultNonNullable: false,
      // Raw bodies and answers (the logo, file chunks) are bytes: Blob, as fetch sends them.
      transform: (schema) =>
        schema.format === "binary" ? ts.factory.createTypeReferenceNode("Blob") : undefined,
    });
    writeFileSync(join(dir, "api.d.ts"), astToString(ast));
    copyFileSync(join(HERE, "program.ts"), join(dir, "program.ts"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023", "DOM"],
          types: [],
          skipLibCheck: true,
        },
        files: ["program.ts", "api.d.ts"],
      }),
    );
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const tsc = spawnSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", dir], {
      encoding: "utf8",
    });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);

    const owner = await signupLive(base, uniqueEmail("client"));
    const token = await owner.call<{ token: string }>("POST", "/api/v1/tokens", {
      body: { name: "generated client" },
    });
    expect(token.status).toBe(201);
    const share = await buildShare();
    // Typed here, not imported: the program is checked against the generated types only.
    const { run } = (await import(join(HERE, "program.ts"))) as {
      run: (inputs: Record<string, unknown>) => Promise<{
        listedIds: string[];
        ciphertext: string;
        refusal: string;
        deleteCode: string | null;
        logoUrl: string | null;
      }>;
    };
    const result = await run({
      baseUrl: base,
      token: token.body.token,
      share: share.body,
      png: new Blob([PNG], { type: "image/png" }),
    });
    expect(result.listedIds).toContain(share.body.id);
    expect(result.ciphertext).toBe(share.body.ciphertext);
    expect(result.refusal).toBe("gone: viewed");
    // Deleting a share that was viewed: gone already.
    expect(result.deleteCode).toBe("share_gone");
    expect(result.logoUrl).toMatch(/^\/api\/v1\/branding\/logos\/[A-Za-z0-9_-]{32}\.png$/);
    const logo = await fetch(`${base}${result.logoUrl}`);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await logo.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("passes redocly lint with no errors and no warnings", () => {
    const file = join(dir, "openapi.json");
    writeFileSync(file, document);
    const lint = spawnSync(
      join(ROOT, "node_modules", ".bin", "redocly"),
      ["lint", file, "--config", join(ROOT, "redocly.yaml"), "--format", "json"],
      {
        encoding: "utf8",
        // Offline: no telemetry, no update check.
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
    const output = `${lint.stdout}${lint.stderr}`;
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: unknown[];
    };
    expect(report.problems, output).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(lint.status, output).toBe(0);
  });
});
