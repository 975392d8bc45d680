/**
 * `hushlink audit export` and `verify` against the real app listening on 127.0.0.1 (in this
 * process, on a fresh SQLite file): the export verifies, and a tampered one names its line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestApp, type TestApp } from "../../server/test/helpers/app.js";
import { signup, uniqueEmail } from "../../server/test/helpers/accounts.js";
import { json } from "../../server/test/helpers/http.js";
import { run } from "../src/cli.js";
import { fakeContext } from "./helpers.js";

describe("hushlink audit", () => {
  let t: TestApp;
  let base: string;
  let env: Record<string, string>;
  const work = mkdtempSync(join(tmpdir(), "hushlink-audit-"));

  const hushlink = async (args: string[]) => {
    const ctx = fakeContext({ env, fetch: globalThis.fetch });
    const code = await run(args, ctx);
    return { code, stdout: ctx.out(), stderr: ctx.err() };
  };

  beforeAll(async () => {
    t = await createTestApp("sqlite");
    base = await t.app.listen({ host: "127.0.0.1", port: 0 });
    const admin = await signup(t, uniqueEmail("cli-audit"), "CLI Audit");
    const created = await admin.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "cli" },
    });
    const { token } = json<{ token: string }>(created);
    env = { HOME: work, HUSHLINK_SERVER: base, HUSHLINK_TOKEN: token };
    const me = json<{ orgs: { id: string }[] }>(await admin.inject({ url: "/api/v1/auth/me" }));
    // Some events of its own beyond the sign-in and the token.
    for (let i = 0; i < 5; i += 1) {
      const res = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${me.orgs[0]!.id}/branding`,
        payload: { primaryColor: `#12345${i}` },
      });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(() => t.close());

  it("exports the log, which verifies; a tampered export names its line", async () => {
    const exported = await hushlink(["audit", "export"]);
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(7);
    const file = join(work, "audit.ndjson");
    writeFileSync(file, exported.stdout);

    const ok = await hushlink(["audit", "verify", file]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`The chain holds: ${lines.length} entries.`);
    expect(ok.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);

    const tampered = [...lines];
    tampered[3] = tampered[3]!.replace('"outcome":"success"', '"outcome":"failure"');
    expect(tampered[3]).not.toBe(lines[3]);
    writeFileSync(file, `${tampered.join("\n")}\n`);
    const broken = await hushlink(["audit", "verify", file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^Line 4: /);

    // A forged actor put before the real one: JSON.parse keeps the last, so the hash holds.
    const doubled = [...lines];
    doubled[4] = doubled[4]!.replace(
      '{"actor":',
      '{"actor":{"id":"someone-else","kind":"user"},"actor":',
    );
    expect(doubled[4]).not.toBe(lines[4]);
    writeFileSync(file, `${doubled.join("\n")}\n`);
    const forged = await hushlink(["audit", "verify", file]);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/^Line 5: /);

    writeFileSync(file, `${lines.filter((_, i) => i !== 2).join("\n")}\n`);
    expect((await hushlink(["audit", "verify", file])).stderr).toMatch(/^Line 3: /);
    expect(readFileSync(file, "utf8")).not.toBe("");
  });

  it("exports a time range, and refuses a backwards one", async () => {
    const none = await hushlink(["audit", "export", "--since", "2100-01-01"]);
    expect(none).toMatchObject({ code: 0, stdout: "" });
    const backwards = await hushlink([
      "audit",
      "export",
      "--since",
      "2031-01-01",
      "--until",
      "2030-01-01",
    ]);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toContain("invalid_audit_range");
  });
});
