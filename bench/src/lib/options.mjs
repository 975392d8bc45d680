/** The command line of `npm run bench` (see run.mjs for what each option does). */

export const ALL = ["baseline", "create", "metadata", "reveal", "cycle", "page", "sweep", "files"];
const LOADS = ["create", "metadata", "reveal", "cycle"];

/**
 * The `--key=value` words of ab.mjs and inproc.mjs, as they are: a key without `=` maps to "",
 * nothing is checked (each script names what it needs in its usage line).
 * @param {string[]} argv
 * @returns {Record<string, string | undefined>}
 */
export function keyValues(argv) {
  return Object.fromEntries(
    argv.map((arg) => {
      const [key, ...value] = arg.replace(/^--/, "").split("=");
      return [key, value.join("=")];
    }),
  );
}

/** @param {string[]} argv */
export function parseArgs(argv) {
  /** @type {Record<string, string | true>} */
  const flags = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) throw new Error(`unknown argument ${arg}`);
    flags[m[1]] = m[2] ?? true;
  }
  const known = [
    "quick",
    "only",
    "connections",
    "seconds",
    "seed",
    "profile",
    "node-args",
    "server",
    "server-env",
  ];
  for (const key of Object.keys(flags))
    if (!known.includes(key)) throw new Error(`unknown option --${key}`);
  const quick = flags.quick === true;
  const only = typeof flags.only === "string" ? flags.only.split(",").map((s) => s.trim()) : ALL;
  for (const name of only)
    if (!ALL.includes(name)) throw new Error(`unknown scenario ${name} (${ALL.join(", ")})`);
  const selected = new Set(only);
  if (LOADS.some((s) => selected.has(s))) selected.add("baseline");
  return {
    quick,
    selected,
    connections: Number(flags.connections ?? 32),
    warmup: quick ? 1 : 2,
    seconds: Number(flags.seconds ?? (quick ? 3 : 10)),
    seed: Number(flags.seed ?? (quick ? 100_000 : 1_000_000)),
    profile: flags.profile === true,
    /** Extra node options for the server under test (experiments: --max-semi-space-size=2, --import=…). */
    nodeArgs:
      typeof flags["node-args"] === "string" ? flags["node-args"].split(" ").filter(Boolean) : [],
    /**
     * The server's entry point, relative to the root: what ships (server/bundle/main.js) unless
     * an experiment names another, e.g. server/dist/main.js, tsc's output unbundled.
     */
    /**
     * Extra environment for the server under test, "K=V,K2=V2" (experiments with its settings,
     * e.g. DATABASE_POOL_SIZE=32; the harness passes no other variable of its own shell).
     */
    serverEnv: Object.fromEntries(
      typeof flags["server-env"] === "string"
        ? flags["server-env"]
            .split(",")
            .filter(Boolean)
            .map((pair) => {
              const at = pair.indexOf("=");
              if (at < 1) throw new Error(`--server-env wants K=V pairs, got ${pair}`);
              return [pair.slice(0, at), pair.slice(at + 1)];
            })
        : [],
    ),
    serverMain: typeof flags.server === "string" ? flags.server : "server/bundle/main.js",
    /** Start-ups timed per process kind (the median is reported). */
    starts: quick ? 1 : 3,
    /**
     * When the settled idle RSS is read after the server's first /healthz 200 (quick: not at all).
     * V8's memory reducer shrinks an idle heap about 15 s after start-up, later on a busy machine.
     */
    settleMs: quick ? 0 : 30_000,
  };
}
