/**
 * A file download's and a chunk upload's HTTP edges, over real HTTP (black-box findings, session
 * 22). RFC 9110 §14.1.1: a `Range` whose last position is before its first is syntactically
 * invalid, and the header MUST then be ignored (200, the whole blob), not answered 416. §13.1.5:
 * with `If-Range` the range applies only when the validator matches the current one; a download
 * answers no validator (no ETag, no Last-Modified), so none can match and the whole blob comes
 * back, never a piece of what may be another representation. A chunk's index is a decimal whole
 * number in its one spelling: `01`, `1.0`, `1e0`, `0x1` or a blank were taken as chunk 1 (or 0).
 * A client that hangs up halfway through a chunk's body was logged as an outage ("dependency
 * unavailable", ECONNRESET), which an operator's alert on that line would page for.
 */
import { IncomingMessage } from "node:http";
import { connect } from "node:net";

import { describe, expect, it } from "vitest";

import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { makeFile, uploadFile } from "./helpers/files.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { listeningApp } from "./helpers/suite.js";

describe.each(testDialects)("file HTTP edges on %s", (dialect) => {
  const live = listeningApp(dialect);

  async function sharedFile(size: number) {
    const file = await makeFile(size);
    const share = await buildShare({ maxViews: 2 });
    const created = await createShare(live.t.app, { ...share.body, blobs: [file.declaration] });
    expect(created.statusCode, created.body).toBe(201);
    return { file, share, uploadToken: json<{ uploadToken: string }>(created).uploadToken };
  }

  it("ignores a Range that is not valid, and any If-Range: the whole blob, 200", async () => {
    const { t, base } = live;
    const { file, share, uploadToken } = await sharedFile(3000);
    const id = share.body.id;
    await uploadFile(t, id, uploadToken, file);
    const { downloadToken } = json<{ downloadToken: string }>(
      await reveal(t.app, id, { viewToken: share.body.viewToken }),
    );
    const size = file.declaration.size;
    const whole = Buffer.concat(file.chunks.map((c) => Buffer.from(c.bytes)));
    const url = `${base}/api/v1/shares/${id}/blobs/${file.blobId}`;
    const get = (headers: Record<string, string>, method = "GET") =>
      fetch(url, { method, headers: { "x-download-token": downloadToken, ...headers } });

    const ignored: Record<string, string>[] = [
      { range: "bytes=5-2" },
      { range: "bytes=10-20", "if-range": '"an-etag"' },
      { range: "bytes=10-20", "if-range": "Sun, 06 Dec 2026 23:00:00 GMT" },
    ];
    for (const headers of ignored) {
      for (const method of ["GET", "HEAD"]) {
        const res = await get(headers, method);
        const where = `${method} ${JSON.stringify(headers)}`;
        expect(res.status, where).toBe(200);
        expect(res.headers.get("content-range"), where).toBeNull();
        expect(res.headers.get("content-length"), where).toBe(String(size));
        const body = Buffer.from(await res.arrayBuffer());
        expect(body.equals(method === "GET" ? whole : Buffer.alloc(0)), where).toBe(true);
      }
    }
    // A valid range still gets its piece, and one past the end its 416.
    const part = await get({ range: "bytes=2-5" });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(2, 6))).toBe(true);
    expect((await get({ range: `bytes=${size}-` })).status).toBe(416);
    expect((await get({ range: "bytes=-0" })).status).toBe(416);
  });

  it.each(["01", "1.0", "1e0", "0x1", "+1", "%20", "1%20"])(
    "refuses the chunk index %s with 400 invalid_request, storing nothing",
    async (n) => {
      const { base } = live;
      // Two chunks: index 1 is a real one, so a lenient parse would store it.
      const { file, share, uploadToken } = await sharedFile(1024 * 1024 + 10);
      const id = share.body.id;
      const put = await fetch(`${base}/api/v1/shares/${id}/blobs/${file.blobId}/${n}`, {
        method: "PUT",
        headers: { "content-type": "application/octet-stream", "x-upload-token": uploadToken },
        body: Buffer.from(file.chunks[1]!.bytes),
      });
      const answer = (await put.json()) as { error?: { code: string; message: string } };
      expect(put.status, JSON.stringify(answer)).toBe(400);
      expect(answer.error?.code).toBe("invalid_request");
      expect(answer.error?.message).toMatch(/^params\.n: /);
      const status = await fetch(`${base}/api/v1/shares/${id}/upload`, {
        headers: { "x-upload-token": uploadToken },
      });
      const { blobs } = (await status.json()) as { blobs: { received: number[] }[] };
      expect(blobs[0]!.received).toEqual([]);
    },
  );

  it("frees each piece of a chunk's body as soon as it is copied, and stores the chunk whole", async () => {
    const { t, base } = live;
    const { file, share, uploadToken } = await sharedFile(1024 * 1024 + 10);
    const id = share.body.id;
    // The pieces Node's HTTP parser hands the request, noted as they are pushed.
    const pieces: Buffer[] = [];
    const sizes: number[] = [];
    const proto: { push: (this: IncomingMessage, chunk: unknown) => boolean } =
      IncomingMessage.prototype;
    const push = proto.push;
    proto.push = function (chunk) {
      if (Buffer.isBuffer(chunk) && chunk.length > 0) {
        pieces.push(chunk);
        sizes.push(chunk.length);
      }
      return push.call(this, chunk);
    };
    try {
      for (const chunk of file.chunks) {
        const put = await fetch(`${base}/api/v1/shares/${id}/blobs/${file.blobId}/${chunk.index}`, {
          method: "PUT",
          headers: { "content-type": "application/octet-stream", "x-upload-token": uploadToken },
          body: Buffer.from(chunk.bytes),
        });
        expect(put.status, await put.text()).toBe(204);
      }
    } finally {
      proto.push = push;
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(file.declaration.size);
    // Freed (detached: no bytes left) rather than left to the collector, each one.
    expect(pieces.map((p) => p.buffer.byteLength)).toEqual(pieces.map(() => 0));
    const { downloadToken } = json<{ downloadToken: string }>(
      await reveal(t.app, id, { viewToken: share.body.viewToken }),
    );
    const got = await fetch(`${base}/api/v1/shares/${id}/blobs/${file.blobId}`, {
      headers: { "x-download-token": downloadToken },
    });
    const whole = Buffer.concat(file.chunks.map((c) => Buffer.from(c.bytes)));
    expect(Buffer.from(await got.arrayBuffer()).equals(whole)).toBe(true);
  });

  it("a client that hangs up mid-chunk stores nothing and is logged as such, not as an outage", async () => {
    const { t, base } = live;
    const { file, share, uploadToken } = await sharedFile(1024 * 1024 + 10);
    const id = share.body.id;
    const chunk = Buffer.from(file.chunks[0]!.bytes);
    const { port } = new URL(base);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `PUT /api/v1/shares/${id}/blobs/${file.blobId}/0 HTTP/1.1\r\nHost: x\r\n` +
            `Content-Type: application/octet-stream\r\nX-Upload-Token: ${uploadToken}\r\n` +
            `Content-Length: ${chunk.length}\r\n\r\n`,
        );
        socket.write(chunk.subarray(0, 300_000), () => {
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 200);
        });
      });
      socket.on("error", reject);
    });
    // The server notices the reset on its next turn or so; give it time on a loaded machine.
    const seen = () => t.logs.join("").includes("client closed the request");
    for (let i = 0; i < 50 && !seen(); i++) await new Promise((r) => setTimeout(r, 100));
    const logs = t.logs.join("");
    expect(logs).not.toContain("dependency unavailable");
    expect(logs).toContain("client closed the request");
    const status = await fetch(`${base}/api/v1/shares/${id}/upload`, {
      headers: { "x-upload-token": uploadToken },
    });
    const { blobs } = (await status.json()) as { blobs: { received: number[] }[] };
    expect(blobs[0]!.received).toEqual([]);
  });
});
