/**
 * Operations (issue 15): Prometheus' own checker accepts /metrics, the metrics keep standard
 * names and are not on the public port unless a token guards them, and a SIGTERM drains the
 * instance the way an orchestrator expects.
 */
import { spawnSync } from "node:child_process";

import { afterEach, describe, expect, it } from "vitest";

import { READY_TIMEOUT_MS } from "../src/features/health/health.routes.js";
import { createTestApp } from "./helpers/app.js";
import { suiteApp } from "./helpers/suite.js";
import { buildShare } from "./helpers/builders.js";
import { call, heldReveal, shutDown, waitFor } from "./helpers/remote.js";
import { processScope, startServer } from "./helpers/server-process.js";
import { createShare } from "./helpers/http.js";

/** Debian's `prometheus` package; .ci/run installs it and scripts/test.mjs requires it under CI. */
const promtool = spawnSync("promtool", ["--version"]).status === 0;
const METRICS_TOKEN = "metrics-token-0123456789abcdef";

describe("metrics", () => {
  const t = suiteApp("sqlite", { env: { METRICS_TOKEN } });

  const scrape = () =>
    t.app.inject({ url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

  it.skipIf(!promtool)("pass promtool check metrics", async () => {
    const share = await buildShare();
    await createShare(t.app, share.body);
    await t.app.inject({ url: `/api/v1/shares/${share.body.id}` });
    const res = await scrape();
    expect(res.statusCode).toBe(200);
    const check = spawnSync("promtool", ["check", "metrics"], { input: res.body });
    expect(`${check.stdout.toString()}${check.stderr.toString()}`).toBe("");
    expect(check.status).toBe(0);
  });

  it("use the standard Node.js process names, label `code`, and counters that start at 0", async () => {
    await t.app.inject({ url: "/api/v1/config" });
    const body = (await scrape()).body;
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_start_time_seconds",
      "nodejs_heap_size_used_bytes",
      "nodejs_eventloop_lag_seconds",
      "nodejs_gc_duration_seconds",
    ]) {
      expect(body).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
    }
    expect(body).not.toContain("hushlink_process_");
    expect(body).not.toMatch(/^# TYPE \S+_total gauge/m);
    expect(body).toMatch(
      /^hushlink_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/config",code="200"\} 1$/m,
    );
    expect(body).not.toContain("status=");
    for (const reason of ["viewed", "expired", "deleted", "locked"]) {
      expect(body).toMatch(
        new RegExp(`^hushlink_shares_destroyed_total\\{reason="${reason}"\\} `, "m"),
      );
    }
  });

  it("count each finished expiry sweep, with or without anything to expire", async () => {
    const sweeps = async () =>
      Number(/^hushlink_sweeps_total (\d+)$/m.exec((await scrape()).body)?.[1] ?? Number.NaN);
    const before = await sweeps();
    expect(before).toBeGreaterThanOrEqual(0);
    await t.services.sweeper.runOnce();
    await t.services.sweeper.runOnce();
    expect(await sweeps()).toBe(before + 2);
  });

  it("ask for the metrics token on the public port", async () => {
    const none = await t.app.inject({ url: "/metrics" });
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    const wrong = await t.app.inject({
      url: "/metrics",
      headers: { authorization: "Bearer metrics-token-wrong-wrong-wrong" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain("hushlink_");
  });

  it("are not on the public port without a token", async () => {
    const open = await createTestApp("sqlite");
    try {
      const res = await open.app.inject({ url: "/metrics" });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain("hushlink_");
    } finally {
      await open.close();
    }
  });
});

describe("a server process", () => {
  const { servers, tempDir, cleanup } = processScope("hushlink-ops-");
  const launch = async (env: Record<string, string>) => {
    const server = await startServer({ DATA_DIR: tempDir(), ...env }, 30_000);
    servers.push(server);
    return server;
  };
  afterEach(cleanup);

  it("serves /metrics on METRICS_PORT only", async () => {
    const server = await launch({ METRICS_PORT: "0" });
    const url = await waitFor("metrics listening", () => {
      const match = /"url":"(http:\/\/[^"]+\/metrics)"[^\n]*"msg":"metrics listening"/.exec(
        server.output(),
      );
      return match?.[1];
    });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("hushlink_http_request_duration_seconds");
    expect((await call(server.url, "GET", "/metrics")).status).toBe(404);
  });

  it("on SIGTERM answers /readyz 503 at once, finishes the request in flight, then exits 0", async ({
    annotate,
  }) => {
    const server = await launch({ SHUTDOWN_DELAY_MS: "1500" });
    const share = await buildShare();
    expect((await call(server.url, "POST", "/api/v1/shares", { body: share.body })).status).toBe(
      201,
    );
    // A reveal in flight: headers read (100 Continue), body still on its way.
    const slow = heldReveal(server.url, share.body);
    await waitFor("100 Continue", () =>
      slow.conn.received.includes("100 Continue") ? true : undefined,
    );
    expect((await call(server.url, "GET", "/readyz")).status).toBe(200);

    const { exited } = await shutDown(server);
    const readyz = await call(server.url, "GET", "/readyz");
    await annotate(`/readyz after SIGTERM: ${readyz.status} in ${readyz.ms.toFixed(0)} ms`);
    expect(readyz.status).toBe(503);
    expect(readyz.body).toMatchObject({ error: { code: "shutting_down" } });
    expect(readyz.ms).toBeLessThan(1_000);

    slow.finish();
    await slow.conn.closed;
    expect(slow.conn.lastStatus()).toBe(200);
    expect(slow.conn.received).toContain('"ciphertext"');
    expect(await exited).toBe(0);
  });

  it("keeps /readyz's own timeout under Kubernetes' default probe timeout of 1 s", () => {
    expect(READY_TIMEOUT_MS).toBeLessThanOrEqual(1_000);
  });
});
