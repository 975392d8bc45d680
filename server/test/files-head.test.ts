/**
 * `HEAD /api/v1/shares/{id}/blobs/{B}` (and an answer's): the download's status and headers
 * (Content-Length, Accept-Ranges, Content-Range for a range, the same refusals) without a body
 * and without reading a chunk, over real HTTP. It answered 405 before: the route had Fastify's
 * own HEAD switched off, since that one would run the GET handler and read the whole blob from
 * the store only to throw it away.
 */
import { describe, expect, it } from "vitest";

import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { makeFile, uploadFile } from "./helpers/files.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { listeningApp } from "./helpers/suite.js";

describe.each(testDialects)("HEAD of a file download on %s", (dialect) => {
  const live = listeningApp(dialect);

  it("answers GET's status and headers with no body, and GET's refusals", async () => {
    const { t, base } = live;
    // Three chunks, so a full read would cost three store reads.
    const file = await makeFile(2 * 1024 * 1024 + 1);
    const share = await buildShare();
    const created = await createShare(t.app, { ...share.body, blobs: [file.declaration] });
    expect(created.statusCode, created.body).toBe(201);
    const id = share.body.id;
    await uploadFile(t, id, json<{ uploadToken: string }>(created).uploadToken, file);
    const { downloadToken } = json<{ downloadToken: string }>(
      await reveal(t.app, id, { viewToken: share.body.viewToken }),
    );
    const url = `${base}/api/v1/shares/${id}/blobs/${file.blobId}`;
    const head = (headers: Record<string, string> = {}) =>
      fetch(url, { method: "HEAD", headers: { "x-download-token": downloadToken, ...headers } });

    const whole = await head();
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(file.declaration.size));
    expect(whole.headers.get("content-type")).toBe("application/octet-stream");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("cache-control")).toBe("no-store");
    expect(whole.headers.get("content-disposition")).toBe("attachment");
    expect((await whole.arrayBuffer()).byteLength).toBe(0);

    const part = await head({ range: "bytes=10-29" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-length")).toBe("20");
    expect(part.headers.get("content-range")).toBe(`bytes 10-29/${file.declaration.size}`);

    const beyond = await head({ range: `bytes=${file.declaration.size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${file.declaration.size}`);

    const unknown = await fetch(url, {
      method: "HEAD",
      headers: { "x-download-token": "A".repeat(43) },
    });
    expect(unknown.status).toBe(404);

    // The GET after the HEADs still sends every byte.
    const got = await fetch(url, { headers: { "x-download-token": downloadToken } });
    expect(got.status).toBe(200);
    expect((await got.arrayBuffer()).byteLength).toBe(file.declaration.size);
  });
});
