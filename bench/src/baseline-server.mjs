/**
 * The baseline: a bare Fastify server (no plugins, no validation, no database) that answers a
 * JSON POST with 201 and a 100-byte body. What the stack itself can do on this machine.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });

// {"id":"…","expiresAt":"…","maxViews":null} padded to exactly 100 bytes, like a create answer.
const reply = { id: "x".repeat(22), expiresAt: new Date(0).toISOString(), maxViews: null, pad: "" };
reply.pad = "p".repeat(100 - Buffer.byteLength(JSON.stringify(reply)));
if (Buffer.byteLength(JSON.stringify(reply)) !== 100)
  throw new Error("baseline body is not 100 bytes");

app.get("/healthz", () => ({ status: "ok" }));
app.post("/baseline", async (_request, res) => res.status(201).send(reply));

await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 0) });
process.on("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
