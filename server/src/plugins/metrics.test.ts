import Fastify from "fastify";
import { describe, expect, it } from "vitest";

import { buildMetricsServer, counter, createMetrics, registerMetrics } from "./metrics.js";

const TOKEN = "metrics-unit-token-0123456789";

// Both places that serve /metrics check the bearer token the same way (hasBearer).
describe.each([
  [
    "METRICS_PORT's listener",
    (metrics: ReturnType<typeof createMetrics>) => buildMetricsServer(metrics, { token: TOKEN }),
  ],
  [
    "the public port",
    async (metrics: ReturnType<typeof createMetrics>) => {
      const app = Fastify({ logger: false });
      registerMetrics(app, metrics, { token: TOKEN });
      await app.ready();
      return app;
    },
  ],
])("/metrics behind a token on %s", (_where, build) => {
  it("answers 401 without the token, with another, or with another scheme", async () => {
    const server = await build(createMetrics());
    for (const authorization of [
      undefined,
      "Bearer not-the-token",
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
      `Bearer`,
    ]) {
      const res = await server.inject({
        url: "/metrics",
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    }
    await server.close();
  });

  it("serves the exposition with the token, whatever the scheme's case", async () => {
    const metrics = createMetrics();
    metrics.sharesCreated.inc(3);
    const server = await build(metrics);
    for (const scheme of ["Bearer", "bearer"]) {
      const res = await server.inject({
        url: "/metrics",
        headers: { authorization: `${scheme}  ${TOKEN}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe(metrics.registry.contentType);
      expect(res.body).toContain("# HELP hushlink_shares_created_total Shares created");
      expect(res.body).toContain("hushlink_shares_created_total 3");
    }
    await server.close();
  });
});

describe("counter", () => {
  it("registers a counter without labels on the registry it is given", async () => {
    const { registry } = createMetrics();
    counter(registry, "hushlink_unit_total", "A unit test's counter").inc();
    expect(await registry.getSingleMetricAsString("hushlink_unit_total")).toBe(
      "# HELP hushlink_unit_total A unit test's counter\n# TYPE hushlink_unit_total counter\nhushlink_unit_total 1",
    );
  });
});
