import { PassThrough, Readable } from "node:stream";

import type { Context } from "../src/lib/context.js";

export interface FakeContext extends Context {
  out(): string;
  err(): string;
}

/** A Context with captured stdout/stderr, the given stdin and environment, and a fake fetch. */
export function fakeContext(options: {
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  fetch?: typeof fetch;
}): FakeContext {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => outChunks.push(chunk));
  stderr.on("data", (chunk: Buffer) => errChunks.push(chunk));
  return {
    env: options.env ?? {},
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout,
    stderr,
    fetch:
      options.fetch ??
      (() => {
        throw new Error("no fetch in this test");
      }),
    out: () => Buffer.concat(outChunks).toString("utf8"),
    err: () => Buffer.concat(errChunks).toString("utf8"),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from `handler` and records every request. */
export function fakeFetch(
  handler: (request: RecordedRequest) => { status: number; body?: unknown },
): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchImpl = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(
      Object.entries((init?.headers as Record<string, string> | undefined) ?? {}).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    const request: RecordedRequest = {
      method: init?.method ?? "GET",
      url: input instanceof Request ? input.url : input.toString(),
      headers,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const { status, body } = handler(request);
    return Promise.resolve(
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: body === undefined ? {} : { "content-type": "application/json" },
      }),
    );
  };
  return { fetch: fetchImpl, requests };
}
