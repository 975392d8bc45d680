/**
 * The audit context keeps the caller of a request, not the request: a timer begun during a request
 * (as a socket's timeout or a file-system call is) must not keep the request, and with it its body,
 * alive after the answer (issue 17: server memory during transfers).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import Fastify, { type FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";

import { currentCaller, registerAuditContext } from "./audit.context.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("audit context", () => {
  it("lets a request go once answered, while what it began still reads its caller", async () => {
    const app = Fastify();
    registerAuditContext(app);
    app.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_r, body, done) =>
      done(null, body),
    );
    let held: WeakRef<FastifyRequest> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let release = () => {};
    let callerAfter: ReturnType<typeof currentCaller> | undefined;
    app.put("/chunk", (request, reply) => {
      held = new WeakRef(request);
      // Begun during the request and outliving it, as a keep-alive socket's timeout does.
      timer = setTimeout(() => undefined, 60_000);
      // Work of the request that reads its caller after the answer.
      void new Promise<void>((resolve) => (release = resolve)).then(() => {
        callerAfter = currentCaller();
      });
      return reply.status(204).send();
    });
    await app.ready();
    const answer = await app.inject({
      method: "PUT",
      url: "/chunk",
      headers: { "content-type": "application/octet-stream" },
      payload: Buffer.alloc(64 * 1024, 1),
      remoteAddress: "192.0.2.7",
    });
    expect(answer.statusCode).toBe(204);
    for (let i = 0; i < 3 && held?.deref(); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(held?.deref()).toBeUndefined();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(callerAfter).toEqual({ actor: { kind: "anonymous", id: null }, ip: "192.0.2.7" });
    clearTimeout(timer);
    await app.close();
  });
});
