/**
 * Files (F12) where people see them without opening a share: the limits in `GET /api/v1/config`
 * that clients check before encrypting, and the file count and total size on the dashboard's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signup, type Client } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { makeFile, uploadFile } from "./helpers/files.js";
import { createShare, json } from "./helpers/http.js";

const MiB = 1_048_576;

describe.each(testDialects)("files in config and lists on %s", (dialect) => {
  let app: TestApp;
  let member: Client;

  beforeAll(async () => {
    app = await createTestApp(dialect, {
      env: {
        MAX_FILES: "7",
        MAX_FILE_BYTES: String(5 * MiB),
        ANONYMOUS_MAX_FILE_BYTES: String(MiB),
        DOWNLOAD_WINDOW: "900",
      },
    });
    member = await signup(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("GET /api/v1/config shows the file limits", async () => {
    expect(json(await app.app.inject({ url: "/api/v1/config" }))).toMatchObject({
      maxFiles: 7,
      maxFileBytes: 5 * MiB,
      anonymousMaxFileBytes: MiB,
      downloadWindow: 900,
    });
  });

  it("each dashboard row shows how many files and their plaintext size, from create on", async () => {
    const files = await Promise.all([0, 5, MiB, MiB + 1].map(makeFile));
    const withFiles = await buildShare({ name: "with files" });
    const created = await createShare(member, {
      ...withFiles.body,
      blobs: files.map((f) => f.declaration),
    });
    expect(created.statusCode, created.body).toBe(201);
    const plain = await buildShare({ name: "text only" });
    expect((await createShare(member, plain.body)).statusCode).toBe(201);

    const row = async (id: string) => {
      const list = json<{ items: Record<string, unknown>[] }>(
        await member.inject({ url: "/api/v1/shares" }),
      );
      return list.items.find((item) => item.id === id)!;
    };
    const total = 0 + 5 + MiB + MiB + 1;
    // Still uploading: the declared files are listed already.
    expect(await row(withFiles.body.id)).toMatchObject({ fileCount: 4, fileBytes: total });
    const { uploadToken } = json<{ uploadToken: string }>(created);
    for (const file of files) await uploadFile(app, withFiles.body.id, uploadToken, file);
    expect(await row(withFiles.body.id)).toMatchObject({ fileCount: 4, fileBytes: total });

    const textOnly = await row(plain.body.id);
    expect(textOnly).not.toHaveProperty("fileCount");
    expect(textOnly).not.toHaveProperty("fileBytes");

    // After the share is gone the row still says what it carried.
    await member.inject({ method: "DELETE", url: `/api/v1/shares/${withFiles.body.id}` });
    expect(await row(withFiles.body.id)).toMatchObject({
      status: "deleted",
      fileCount: 4,
      fileBytes: total,
    });
  });
});
