/**
 * HTTP calls to server processes, as a client behind a proxy would make them: an optional
 * X-Forwarded-For (the servers under test trust it with TRUST_PROXY) and no exceptions: a
 * connection failure is status 0, so load loops can count it instead of stopping.
 */
import net from "node:net";

import type { ServerProcess } from "./server-process.js";

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
  /** Set when no HTTP answer arrived (connection refused or reset). */
  error?: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; ip?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const started = performance.now();
  const headers: Record<string, string> = { ...options.headers };
  if (options.ip) headers["x-forwarded-for"] = options.ip;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    return { status: res.status, body, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      status: 0,
      body: {},
      ms: performance.now() - started,
      error: cause?.code ?? (error as Error).name,
    };
  }
}

export const errorCode = (answer: Answer) =>
  (answer.body.error as { code?: string } | undefined)?.code;

/** Runs `tasks` with at most `concurrency` in flight; answers come back in task order. */
export async function pool<T>(
  tasks: readonly (() => Promise<T>)[],
  concurrency: number,
): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A raw HTTP/1.1 connection, for what fetch cannot do (slow headers, held bodies). */
export function rawConnection(base: string) {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  let closedAt: number | null = null;
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.on("close", () => {
      closedAt = Date.now();
      resolve();
    }),
  );
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return {
    socket,
    connected,
    closed,
    get received() {
      return received;
    },
    get closedAt() {
      return closedAt;
    },
    write(text: string) {
      if (!socket.destroyed) socket.write(text);
    },
    /** Status of the last complete answer head received so far, or undefined. */
    lastStatus(): number | undefined {
      const all = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)];
      const last = all.at(-1);
      return last?.[1] ? Number(last[1]) : undefined;
    },
  };
}

/**
 * A reveal in flight: its head, with `Expect: 100-continue`, is sent at once and its body only by
 * `finish`, so the request stays open across whatever the test does in between (a shutdown).
 * Wait for "100 Continue" in `conn.received` to know the server has read the head.
 */
export function heldReveal(base: string, share: { id: string; viewToken: string }) {
  const body = JSON.stringify({ viewToken: share.viewToken });
  const conn = rawConnection(base);
  conn.write(
    `POST /api/v1/shares/${share.id}/reveal HTTP/1.1\r\nHost: localhost\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
      `Expect: 100-continue\r\n\r\n`,
  );
  return { conn, finish: () => conn.write(body) };
}

/**
 * SIGTERM, and back once the server says it is shutting down (it still finishes what is in
 * flight); `exited` is its exit code when it is gone.
 */
export async function shutDown(server: ServerProcess) {
  const exited = server.stop();
  await waitFor("shutting down", () =>
    server.output().includes('"msg":"shutting down"') ? true : undefined,
  );
  return { exited };
}

/** A random address per call, so counters a previous run left in a shared Redis never match. */
export const randomIp = (prefix = "10") =>
  `${prefix}.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join(".")}`;

/** A random share id (16 bytes, base64url) that no share has. */
export const randomId = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
