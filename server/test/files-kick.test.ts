/**
 * What a destroyed share starts in the blob sweeper (SPEC §3.1, issue 24's one-time cycle): a
 * delete removes the share's files at once, without waiting for the interval, and neither a last
 * view nor a delete scans the tables for abandoned uploads, which is the interval's job. A kick
 * that ran the whole sweep once scanned every share on every one-view reveal: the bench's
 * create-then-reveal cycle fell from 3,618 to 27 cycles/s on a database of 60,000 shares.
 */
import { afterEach, describe, expect, it } from "vitest";

import { FILE_CHUNK_BYTES } from "@hushlink/protocol";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createTestDatabase, recordStatements, testDialects } from "./helpers/databases.js";
import { makeFile, storedChunks, uploadFile } from "./helpers/files.js";
import { createShare, deleteShare, json, reveal } from "./helpers/http.js";

// The sweeper's scans: shares and answers whose upload never finished, and destroyed shares'
// blobs (driven from share_blobs).
const abandonedUploadScan = /"chunks_stored" < "chunks_total"/;
const purgeScan = /from "share_blobs" inner join "shares"/;

describe.each(testDialects)("the blob sweeper after a destroyed share, on %s", (dialect) => {
  let app: TestApp | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await app?.close();
    await drop?.();
  });

  async function start() {
    const testDb = await createTestDatabase(dialect);
    drop = () => testDb.drop();
    const { handle, sent } = recordStatements(testDb.handle);
    app = await createTestApp(dialect, {
      database: { testDb, handle },
      env: { MAX_FILE_BYTES: String(8 * FILE_CHUNK_BYTES) },
    });
    // Waits for whatever a kick started (nothing starts the interval's timer in tests).
    const settled = () => app!.services.blobSweeper.stop();
    return { app, sent, settled };
  }

  it("a one-view reveal starts no scan; the interval's run does (the recording sees it)", async () => {
    const { app, sent, settled } = await start();
    await app.services.blobSweeper.runOnce();
    expect(sent.some((q) => abandonedUploadScan.test(q.sql))).toBe(true);
    expect(sent.some((q) => purgeScan.test(q.sql))).toBe(true);

    sent.length = 0;
    for (let i = 0; i < 10; i++) {
      const share = await buildShare({ maxViews: 1 });
      expect((await createShare(app.app, share.body)).statusCode).toBe(201);
      const res = await reveal(app.app, share.body.id, { viewToken: share.body.viewToken });
      expect(json<{ viewsRemaining: number }>(res).viewsRemaining).toBe(0);
    }
    await settled();
    expect(sent.filter((q) => abandonedUploadScan.test(q.sql) || purgeScan.test(q.sql))).toEqual(
      [],
    );
  });

  it("a delete removes the share's files at once, and scans for abandoned uploads no more", async () => {
    const { app, sent, settled } = await start();
    const file = await makeFile(FILE_CHUNK_BYTES + 7);
    const share = await buildShare();
    const created = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
    expect(created.statusCode, created.body).toBe(201);
    await uploadFile(app, share.body.id, json<{ uploadToken: string }>(created).uploadToken, file);
    expect((await storedChunks(app, share.body.id)).rows).toBe(2);

    sent.length = 0;
    const deleted = await deleteShare(app.app, share.body.id, {
      "x-view-token": share.body.viewToken,
    });
    expect(deleted.statusCode).toBe(204);
    await settled();
    // No runOnce(): the delete's kick removed the rows.
    expect(await storedChunks(app, share.body.id)).toEqual({ rows: 0, withBytes: 0 });
    expect(sent.some((q) => purgeScan.test(q.sql))).toBe(true);
    expect(sent.filter((q) => abandonedUploadScan.test(q.sql))).toEqual([]);
  });
});
