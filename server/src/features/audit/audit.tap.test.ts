/**
 * The audited call holds its request only while it runs: a failure's entries recorded in the
 * background (a failed sign-in) keep the caller read from the request, not the request and its
 * body (issue 17: server memory during transfers).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { describe, expect, it } from "vitest";

import type { AuditEvent, AuditSink, Caller } from "../../lib/audit-sink.js";
import { tap, type From } from "./audit.tap.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("tap", () => {
  it("lets the request go while a failure's entries are still being recorded", async () => {
    const recorded: [AuditEvent, Caller | undefined][] = [];
    let release = () => {};
    const sink: AuditSink = {
      record: (event, caller) => {
        recorded.push([event, caller]);
        return new Promise<void>((resolve) => (release = resolve));
      },
    };
    const refused = tap(sink, () => Promise.reject(new Error("refused")), {
      failedInBackground: true,
      failed: () => [
        { type: "signin.failed", org: "org-1", outcome: "failure" },
        { type: "signin.failed", org: "org-2", outcome: "failure" },
      ],
    });
    let held: WeakRef<object> | undefined;
    await (async () => {
      const request = { auth: null, ip: "192.0.2.7", body: Buffer.alloc(1024 * 1024, 1) };
      held = new WeakRef(request);
      await expect(refused(request as unknown as From)).rejects.toThrow("refused");
    })();
    for (let i = 0; i < 3 && held?.deref(); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(held?.deref()).toBeUndefined();
    // The second entry is recorded after the first settles, with the caller read before.
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorded.map(([event, caller]) => [event.org, caller])).toEqual([
      ["org-1", { actor: { kind: "anonymous", id: null }, ip: "192.0.2.7" }],
      ["org-2", { actor: { kind: "anonymous", id: null }, ip: "192.0.2.7" }],
    ]);
  });
});
