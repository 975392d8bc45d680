/**
 * The container files against the rest of the tree: the Dockerfile must build with the README's
 * own npm commands and start what `npm start` starts, copy every workspace it installs, and
 * compose.yaml must keep secrets out and health checks and restart policies in. These fail when
 * one side changes without the other (a renamed script, a new workspace, a moved entry point).
 * scripts/test-container.sh then builds and runs the image for real.
 */
import { readFileSync } from "node:fs";

import { ENCRYPTED_CHUNK_BYTES } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

import { MAX_LOGO_BYTES } from "../src/features/branding/logo-image.js";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

interface Instruction {
  stage: number;
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function dockerfile(): Instruction[] {
  const logical: string[] = [];
  let current = "";
  for (const line of read("Dockerfile").split("\n")) {
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim().replace(/\s+/g, " "));
    current = "";
  }
  let stage = -1;
  return logical.map((text) => {
    const [first = "", ...rest] = text.split(" ");
    const keyword = first.toUpperCase();
    if (keyword === "FROM") stage += 1;
    return { stage, keyword, args: rest.join(" ") };
  });
}

/** The npm commands a shell command runs, e.g. "npm ci", "npm run build". */
function npmCommands(shell: string): string[] {
  return shell
    .split(/&&|;|\|\|/)
    .map((part) => part.trim())
    .filter((part) => part.startsWith("npm "))
    .map((part) =>
      part
        .split(" ")
        .filter((word) => !word.startsWith("-"))
        .slice(0, 3)
        .join(" ")
        .replace(/^(npm (?!run)\S+).*$/, "$1"),
    );
}

const packageJson = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  workspaces: string[];
};

/**
 * What `npm start` builds with and then runs: either written out in package.json
 * (`npm run build && node <entry>`) or in the script it names, which runs the build through npm
 * and then loads the server's entry point.
 */
function npmStart(): { build: string; entry: string[] } {
  const start = packageJson.scripts.start ?? "";
  const inline = /^npm run (\S+) && (node \S+)$/.exec(start);
  if (inline) return { build: `npm run ${inline[1]}`, entry: inline[2]!.split(" ") };
  const file = /^node (\S+\.m?js)$/.exec(start)?.[1];
  if (!file) throw new Error(`npm start runs neither a build and node, nor a script: ${start}`);
  const script = read(file);
  const build = /"run", "([\w:-]+)"/.exec(script)?.[1];
  const entry = /"(\w+\/(?:dist|bundle)\/[\w/.-]+\.js)"/.exec(script)?.[1];
  if (!build || !entry) throw new Error(`${file} names no build script or no entry point`);
  return { build: `npm run ${build}`, entry: ["node", entry] };
}
const start = npmStart();
const instructions = dockerfile();
const lastStage = Math.max(...instructions.map((i) => i.stage));
const buildRuns = instructions.filter((i) => i.keyword === "RUN" && i.stage < lastStage);
const runtime = instructions.filter((i) => i.stage === lastStage);

describe("Dockerfile and README", () => {
  it("builds FROM Debian trixie's slim image in every stage", () => {
    const froms = instructions.filter((i) => i.keyword === "FROM").map((i) => i.args);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^debian:trixie-slim( AS \w+)?$/);
  });

  it("runs the README quick start's npm commands, in its order, to build", () => {
    const readme = read("README.md");
    const quickStart = readme.slice(
      readme.indexOf("## Quick start"),
      readme.indexOf("## Using it"),
    );
    expect(quickStart).toContain("npm ci && npm start");
    // `npm start` builds with `npm run build` (when the build is stale), then runs the server.
    expect(start.build).toBe("npm run build");
    const built = buildRuns.flatMap((i) => npmCommands(i.args));
    expect(built.filter((c) => c === "npm ci" || c.startsWith("npm run"))).toEqual([
      "npm ci",
      "npm ci",
      "npm run build",
    ]);
    for (const command of built.filter((c) => c.startsWith("npm run "))) {
      expect(Object.keys(packageJson.scripts)).toContain(command.split(" ")[2]);
    }
  });

  it("starts the same entry point as `npm start`, as its last step", () => {
    const cmd = runtime.filter((i) => i.keyword === "CMD").at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(start.entry);
    // ...and copies that entry point's folder and the web app it serves into the runtime stage.
    const copied = runtime.filter((i) => i.keyword === "COPY").map((i) => i.args);
    const entryFolder = start.entry[1]!.split("/").slice(0, 2).join("/");
    expect(copied).toContain(`--from=build /src/${entryFolder} ${entryFolder}`);
    expect(copied).toContain("--from=build /src/web/dist web/dist");
  });

  it("gives `npm ci` the manifest of every workspace in package.json", () => {
    const copies = instructions.filter((i) => i.keyword === "COPY").map((i) => i.args);
    for (const workspace of packageJson.workspaces) {
      expect(copies).toContain(`${workspace}/package.json ${workspace}/`);
    }
  });

  it("copies every workspace the server depends on into the runtime stage", () => {
    const server = JSON.parse(read("server/package.json")) as {
      dependencies: Record<string, string>;
    };
    const prod = buildRuns.find((i) => i.args.includes("--omit=dev"))!.args;
    const copied = runtime.filter((i) => i.keyword === "COPY").map((i) => i.args);
    const workspaces = Object.keys(server.dependencies)
      .filter((name) => name.startsWith("@hushlink/"))
      .map((name) => name.slice("@hushlink/".length));
    for (const name of ["server", ...workspaces]) {
      expect(prod).toContain(`--workspace=${name}`);
      expect(copied).toContain(`--from=build /src/${name}/package.json ${name}/`);
      expect(copied).toContain(`--from=build /src/${name}/dist ${name}/dist`);
    }
  });

  it("runs as a non-root user, on 0.0.0.0, with /data as the data volume and a /healthz check", () => {
    const keywords = (k: string) => runtime.filter((i) => i.keyword === k).map((i) => i.args);
    expect(keywords("USER").at(-1)).toMatch(/^hushlink(:hushlink)?$/);
    const env = keywords("ENV").join(" ");
    expect(env).toContain("HOST=0.0.0.0");
    expect(env).toContain("DATA_DIR=/data");
    expect(keywords("VOLUME")).toEqual(['["/data"]']);
    expect(keywords("HEALTHCHECK").join(" ")).toContain("/healthz");
    // No secret baked in: the root key comes from /data or the environment at run time.
    expect(read("Dockerfile")).not.toMatch(/HUSHLINK_ROOT_KEY=|SMTP_URL=|DATABASE_URL=/);
  });

  it("keeps data, dependencies, builds and tests out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const pattern of ["**/node_modules", "**/dist", "data", "server/test", "**/*.test.ts"]) {
      expect(ignored).toContain(pattern);
    }
  });
});

interface ComposeService {
  build?: string;
  image?: string;
  profiles?: string[];
  restart?: string;
  ports?: string[];
  volumes?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

describe("compose.yaml", () => {
  const compose = parseYaml(read("compose.yaml"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;
  const service = (name: string): ComposeService => {
    const found = services[name];
    if (!found) throw new Error(`compose.yaml has no service ${name}`);
    return found;
  };

  it("runs the quick start on SQLite in a volume at /data, with no profile", () => {
    const quick = service("hushlink");
    expect(quick.build).toBe(".");
    expect(quick.profiles).toBeUndefined();
    expect(quick.ports).toEqual(["8080:8080"]);
    expect(quick.volumes).toEqual(["hushlink-data:/data"]);
    expect(quick.environment?.DATABASE_URL).toBeUndefined();
  });

  it("runs two instances on PostgreSQL and Redis in the scale profile, secrets from env files", () => {
    for (const name of ["hushlink-1", "hushlink-2"]) {
      const instance = service(name);
      expect(instance.profiles).toEqual(["scale"]);
      expect(instance.build).toBe(".");
      expect(instance.env_file).toEqual(["hushlink.env"]);
      expect(instance.environment?.REDIS_URL).toBe("redis://redis:6379/0");
      expect(instance.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
      });
    }
    expect(service("hushlink-1").ports).not.toEqual(service("hushlink-2").ports);
    expect(service("postgres").env_file).toEqual(["postgres.env"]);
    expect(service("postgres").healthcheck?.test).toContain("pg_isready");
    expect(service("redis").healthcheck?.test).toContain("ping");
  });

  it("restarts every service and writes no secret into the file", () => {
    for (const service of Object.values(services)) {
      expect(service.restart).toBe("unless-stopped");
      for (const key of Object.keys(service.environment ?? {})) {
        expect(key).not.toMatch(/ROOT_KEY|PASSWORD|DATABASE_URL|SMTP_URL/);
      }
    }
  });
});

describe("docs/deploy.md's nginx example", () => {
  const nginx = /```nginx\n([\s\S]*?)```/.exec(read("docs/deploy.md"))?.[1] ?? "";
  const bytes = (value: string) => {
    const [, n = "0", unit = ""] = /^(\d+)([kKmMgG]?)$/.exec(value) ?? [];
    return Number(n) * ({ "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit.toLowerCase()] ?? 0);
  };

  it("lets through the largest body the server takes: a file chunk, not only the logo", () => {
    const limit = /client_max_body_size\s+(\S+);/.exec(nginx)?.[1];
    expect(limit).toBeDefined();
    // A whole chunk is 1 MiB of ciphertext plus its tag: nginx's 1m refused every file over 1 MiB.
    expect(bytes(limit ?? "")).toBeGreaterThanOrEqual(ENCRYPTED_CHUNK_BYTES);
    expect(bytes(limit ?? "")).toBeGreaterThanOrEqual(MAX_LOGO_BYTES);
  });
});
