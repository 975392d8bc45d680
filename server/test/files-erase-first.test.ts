/**
 * SQLite, database store: a share's chunks are erased one per write before the share is destroyed
 * (features/blobs/share-chunks.erase.ts). A process stopped after some of those writes leaves a
 * live share with chunks missing: nobody may open it, a download token from an earlier view reads
 * it as deleted, and the manage token's delete or the unfinished-upload sweep finishes it.
 */
import { FILE_CHUNK_BYTES } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { UNFINISHED_UPLOAD_MS } from "../src/features/blobs/blobs.sweeper.js";
import { eraseChunk } from "../src/features/blobs/share-files.repository.js";
import { buildShare } from "./helpers/builders.js";
import { download, filesSuiteApp, makeFile, storedChunks, uploadFile } from "./helpers/files.js";
import { createShare, deleteShare, getShare, json, reveal } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

describe("a share whose chunks were partly erased (a stop between two erasing writes)", () => {
  const clock = clockPerTest();
  const app = filesSuiteApp("sqlite", "database", clock);

  async function halfErased() {
    const file = await makeFile(3 * FILE_CHUNK_BYTES);
    const share = await buildShare({ maxViews: 3, expiresIn: 2 * 24 * 3600 });
    const res = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
    expect(res.statusCode, res.body).toBe(201);
    const { uploadToken, manageToken } = json<{ uploadToken: string; manageToken: string }>(res);
    const id = share.body.id;
    await uploadFile(app, id, uploadToken, file);
    const first = await reveal(app.app, id, { viewToken: share.body.viewToken });
    expect(first.statusCode, first.body).toBe(200);
    const { downloadToken } = json<{ downloadToken: string }>(first);
    // The first erasing write committed, then the process stopped.
    expect(await eraseChunk(app.database.db, id, { blob_id: file.blobId, n: 0 })).toBe(1);
    return { id, share, file, manageToken, downloadToken };
  }

  it("opens for nobody, and the manage token's delete finishes it", async () => {
    const { id, share, file, manageToken, downloadToken } = await halfErased();
    expect(await storedChunks(app, id)).toEqual({ rows: 2, withBytes: 2 });
    expect(json(await getShare(app.app, id))).toMatchObject({ ready: false, viewsRemaining: 2 });
    const opened = await reveal(app.app, id, { viewToken: share.body.viewToken });
    expect([opened.statusCode, json(opened)]).toMatchObject([
      409,
      { error: { code: "upload_incomplete" } },
    ]);
    const downloaded = await download(app, { id, blobId: file.blobId, token: downloadToken });
    expect([downloaded.statusCode, json(downloaded)]).toMatchObject([
      410,
      { error: { code: "share_gone", reason: "deleted" } },
    ]);
    expect(json(await getShare(app.app, id))).toMatchObject({ viewsRemaining: 2 });

    const deleted = await deleteShare(app.app, id, { "x-manage-token": manageToken });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await storedChunks(app, id)).toEqual({ rows: 0, withBytes: 0 });
    expect(json(await getShare(app.app, id))).toMatchObject({ error: { reason: "deleted" } });
  });

  it("is expired by the unfinished-upload sweep 24 hours after its creation", async () => {
    const { id } = await halfErased();
    clock.advance(UNFINISHED_UPLOAD_MS + 1000);
    await app.services.blobSweeper.runOnce();
    expect(json(await getShare(app.app, id))).toMatchObject({ error: { reason: "expired" } });
    expect(await storedChunks(app, id)).toEqual({ rows: 0, withBytes: 0 });
  });
});
