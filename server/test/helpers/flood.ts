/**
 * A flood of requests from a process of its own, for tests that time another client meanwhile.
 * Sent from the test's own process, the flood's answers (32 at a time, parsed as they come) held
 * its event loop: on a loaded 2-core machine the loop was late by 280-340 ms at the 95th
 * percentile and up to 1.3 s, and every such delay was counted in the other client's time as if
 * the server had taken it (abuse.test.ts's "quick 404s" failed at p95 1,078 ms while the flood's
 * own answers took 17-30 ms at the median).
 */
import { spawn } from "node:child_process";

export interface FloodResult {
  /** How many answers had each status (0: no HTTP answer). */
  byStatus: Record<number, number>;
  /** The body of the first 429, in task order, if any. */
  firstLimited: Record<string, unknown> | null;
  /** The error code of the last request's answer, in task order. */
  lastCode: string | null;
}

// Plain JavaScript for `node --input-type=module -e`: argv[1] is the JSON of the options.
const SCRIPT = `
const { url, method, body, headers, count, concurrency } = JSON.parse(process.argv[1]);
const randomId = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
const answers = new Array(count);
let next = 0;
async function one() {
  try {
    const res = await fetch(url.replace("{id}", randomId()), {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    let parsed = {};
    try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = { text }; }
    return { status: res.status, body: parsed };
  } catch {
    return { status: 0, body: {} };
  }
}
async function worker() {
  while (next < count) {
    const i = next++;
    answers[i] = await one();
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
const byStatus = {};
for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
const firstLimited = answers.find((a) => a.status === 429)?.body ?? null;
const lastCode = answers.at(-1)?.body?.error?.code ?? null;
process.stdout.write(JSON.stringify({ byStatus, firstLimited, lastCode }));
`;

/**
 * Sends `count` requests to `url` ("{id}" replaced by a fresh random share id in each), at most
 * `concurrency` in flight, from a child process; settles with the tally once all are answered.
 */
export function floodFromChild(options: {
  url: string;
  method: string;
  body?: unknown;
  ip?: string;
  count: number;
  concurrency: number;
}): Promise<FloodResult> {
  const headers: Record<string, string> = {};
  if (options.ip) headers["x-forwarded-for"] = options.ip;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const args = JSON.stringify({
    url: options.url,
    method: options.method,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    headers,
    count: options.count,
    concurrency: options.concurrency,
  });
  const child = spawn(process.execPath, ["--input-type=module", "-e", SCRIPT, args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`flood process exited with ${code}:\n${err}`));
      else resolve(JSON.parse(out) as FloodResult);
    });
  });
}
