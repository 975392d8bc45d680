/**
 * A server whose log reader has gone (the pipe behind stdout closed: a crashed log shipper, a
 * `| grep` that quit) still ends on SIGTERM. It did not: the lines still buffered at exit were left
 * to pino's exit hook, whose synchronous write (sonic-boom 4's flushSync) tries again every 100 ms
 * for ever on EPIPE, so the process hung until SIGKILL (36 minutes in one case).
 */
import { afterAll, afterEach, expect, it } from "vitest";

import { processScope, startServer } from "./helpers/server-process.js";

const { servers, tempDir, killServers, removeDirs } = processScope("hushlink-log-pipe-");
afterEach(killServers);
afterAll(removeDirs);

it("exits 0 on SIGTERM after the reader of its stdout went away", async () => {
  const server = await startServer({ DATA_DIR: tempDir() }, 30_000);
  servers.push(server);
  // The read end of the pipe closes: every later write to stdout fails with EPIPE.
  server.child.stdout!.destroy();
  server.child.kill("SIGTERM");
  const outcome = await Promise.race([
    server.exited.then((code) => `exit ${code}`),
    new Promise<string>((resolve) => setTimeout(() => resolve("still running after 20 s"), 20_000)),
  ]);
  expect(outcome).toBe("exit 0");
}, 60_000);
