/**
 * Load generation with autocannon. Latencies are taken from every response at full (sub-ms)
 * resolution rather than from autocannon's integer-millisecond histogram, and request rates are
 * completed responses over the measured wall time.
 */
import autocannon from "autocannon";

/**
 * @typedef {object} LoadStats
 * @property {number} responses completed responses (any status)
 * @property {number} rps responses per second
 * @property {number} p50 ms
 * @property {number} p99 ms
 * @property {number} max ms
 * @property {number} errors connection errors and timeouts
 * @property {number} non2xx
 * @property {Record<string, number>} statusCodes
 * @property {number} seconds measured wall time
 */

/**
 * The middle value (the upper one of an even count).
 * @param {number[]} values
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * @param {number[]} sorted ascending
 * @param {number} p 0..100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

/**
 * Runs one load and resolves with its statistics.
 * @param {object} options
 * @param {number} options.port
 * @param {number} options.connections
 * @param {number} options.seconds duration (the run may be stopped earlier with `stop`)
 * @param {import("autocannon").Request[]} options.requests
 * @param {number} [options.timeoutSec] per-request timeout (autocannon's default is 10)
 * @param {Promise<unknown>} [options.stop] stops the run when it settles
 * @returns {Promise<LoadStats>}
 */
export function runLoad({ port, connections, seconds, requests, timeoutSec = 10, stop }) {
  return new Promise((resolve, reject) => {
    /** @type {number[]} */
    const latencies = [];
    /** @type {Record<string, number>} */
    const statusCodes = {};
    let non2xx = 0;
    const startedAt = performance.now();
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        timeout: timeoutSec,
        headers: { "content-type": "application/json" },
        requests,
      },
      (error, result) => {
        const elapsed = (performance.now() - startedAt) / 1000;
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({
          responses: latencies.length,
          rps: latencies.length / elapsed,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: latencies.at(-1) ?? 0,
          errors: result.errors + result.timeouts,
          non2xx,
          statusCodes,
          seconds: elapsed,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
    void stop?.then(
      () => instance.stop(),
      () => instance.stop(),
    );
  });
}
