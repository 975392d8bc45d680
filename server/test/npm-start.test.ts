/**
 * `npm start` builds only when the build is missing or older than its sources
 * (scripts/start.mjs, scripts/build-state.mjs): a start on an installed tree runs the server at
 * once, and a stale or half-made build is rebuilt first.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function write(root: string, path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/**
 * A tree with the real start and build-state scripts and a build that takes no time: it counts
 * its runs, writes every output, and fails while FAIL exists. Its "server" only says it ran.
 */
function miniatureTree(): string {
  const root = mkdtempSync(join(tmpdir(), "hushlink-start-"));
  temps.push(root);
  for (const script of ["start.mjs", "build-state.mjs"]) {
    write(root, `scripts/${script}`, readFileSync(join(ROOT, "scripts", script), "utf8"));
  }
  write(
    root,
    "package.json",
    JSON.stringify({
      name: "mini",
      private: true,
      type: "module",
      scripts: {
        build:
          "node scripts/build-state.mjs begin && node build.mjs && node scripts/build-state.mjs done",
        start: "node scripts/start.mjs",
      },
    }),
  );
  write(
    root,
    "build.mjs",
    `import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
appendFileSync("builds.log", "build\\n");
if (existsSync("FAIL")) process.exit(3);
for (const [dir, file, text] of [
  ["protocol/dist", "index.js", ""],
  ["cli/dist", "main.js", ""],
  ["web/dist", "index.html", ""],
  ["server/dist", "main.js", "console.log('unbundled');"],
  ["server/bundle", "main.js", "console.log('server ran');"],
]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(dir + "/" + file, text);
}
`,
  );
  write(root, "server/src/main.ts", "export {};\n");
  write(root, "web/src/App.tsx", "export const App = 1;\n");
  write(root, "web/index.html", "<!doctype html>\n");
  return root;
}

function npmStart(root: string) {
  const result = spawnSync("npm", ["start"], { cwd: root, encoding: "utf8", env: process.env });
  const builds = readFileSync(join(root, "builds.log"), { encoding: "utf8", flag: "a+" })
    .split("\n")
    .filter(Boolean).length;
  return { code: result.status, output: result.stdout + result.stderr, builds };
}

/** Rewrites a file with another time, as an edit or a `git pull` would. */
function touch(root: string, path: string, text: string) {
  writeFileSync(join(root, path), text);
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(root, path), later, later);
}

describe("npm start", () => {
  it("builds a tree that has no build, then skips the build while the sources stay as they were", () => {
    const root = miniatureTree();
    const first = npmStart(root);
    expect(first.code).toBe(0);
    expect(first.output).toContain("building first (protocol/dist/index.js is missing)");
    expect(first.output).toContain("server ran");
    expect(first.builds).toBe(1);

    const second = npmStart(root);
    expect(second.code).toBe(0);
    expect(second.output).not.toContain("building first");
    expect(second.output).toContain("server ran");
    expect(second.builds).toBe(1);
  });

  it("rebuilds after a source changes, a file is added, or an output is deleted", () => {
    const root = miniatureTree();
    expect(npmStart(root).builds).toBe(1);

    touch(root, "web/src/App.tsx", "export const App = 2;\n");
    const edited = npmStart(root);
    expect(edited.output).toContain("building first (sources changed since the last build)");
    expect(edited.builds).toBe(2);

    write(root, "server/src/new-module.ts", "export const x = 1;\n");
    expect(npmStart(root).builds).toBe(3);

    rmSync(join(root, "web/dist/index.html"));
    const deleted = npmStart(root);
    expect(deleted.output).toContain("web/dist/index.html is missing");
    expect(deleted.builds).toBe(4);

    expect(npmStart(root).builds).toBe(4);
  });

  it("a failed build does not start the server and is tried again on the next start", () => {
    const root = miniatureTree();
    expect(npmStart(root).builds).toBe(1);
    touch(root, "server/src/main.ts", "export const broken = 1;\n");
    write(root, "FAIL", "");
    const failed = npmStart(root);
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain("the build failed");
    expect(failed.output).not.toContain("server ran");

    // Even with the sources as they were before the failed build: its record is gone.
    rmSync(join(root, "FAIL"));
    const retried = npmStart(root);
    expect(retried.code).toBe(0);
    expect(retried.builds).toBe(3);
    expect(retried.output).toContain("server ran");
  });

  it("on the built project tree, answers /healthz without building", async ({ annotate }) => {
    // `npm run build` (run by npm test) records what it built from; nothing changed since.
    const check = spawnSync(process.execPath, [join(ROOT, "scripts/build-state.mjs"), "check"], {
      encoding: "utf8",
    });
    expect(check.stdout.trim()).toBe("up to date");
    const outputs = ["server/dist/main.js", "server/bundle/main.js", "web/dist/index.html"].map(
      (p) => join(ROOT, p),
    );
    const mtimes = outputs.map((p) => statSync(p).mtimeMs);

    const dataDir = mkdtempSync(join(tmpdir(), "hushlink-start-data-"));
    temps.push(dataDir);
    const started = performance.now();
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? tmpdir(),
        HOST: "127.0.0.1",
        PORT: "0",
        DATA_DIR: dataDir,
        LOG_LEVEL: "info",
      },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "listening" in 20 s:\n${output}`)),
          20_000,
        );
        child.stdout.on("data", () => {
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const res = await fetch(`${url}/healthz`);
      const ms = Math.round(performance.now() - started);
      expect(res.status).toBe(200);
      await annotate(
        `npm start → /healthz 200 in ${ms} ms (load average ${loadavg()[0]?.toFixed(1)})`,
      );
      expect(output).not.toContain("building first");
      expect(outputs.map((p) => statSync(p).mtimeMs)).toEqual(mtimes);
    } finally {
      // npm, its shell and the server: the whole process group.
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
