/**
 * uploadEncrypted, the upload loop the web page and the CLI share: what it sends, what it reads
 * past on a resumed upload, how many chunks it keeps in flight, and how it stops.
 */
import { describe, expect, it } from "vitest";

import { sha256 } from "./crypto.js";
import { concatBytes, fromBase64Url, toBase64Url } from "./encoding.js";
import { decryptFile, FILE_CHUNK_BYTES, UPLOAD_PARALLEL, uploadEncrypted } from "./files.js";
import { newShareFile } from "./payload.js";

const SIZE = 6 * FILE_CHUNK_BYTES + 5;

function fileOf(size: number) {
  const bytes = new Uint8Array(size).map((_, i) => i % 251);
  const meta = newShareFile({ name: "a.bin", size, type: "application/octet-stream" });
  const open = () => new Blob([bytes]).stream();
  return { bytes, key: fromBase64Url(meta.key), open };
}

describe("uploadEncrypted", () => {
  it("sends every chunk once, at most UPLOAD_PARALLEL at a time, and the chunks decrypt to the file", async () => {
    // More chunks than UPLOAD_PARALLEL, so that the gate below opens.
    const size = (UPLOAD_PARALLEL + 3) * FILE_CHUNK_BYTES + 5;
    const { bytes, key, open } = fileOf(size);
    const sent = new Map<number, Uint8Array>();
    let inFlight = 0;
    let most = 0;
    // No chunk lands until UPLOAD_PARALLEL are in flight: a loop that sent fewer at once would
    // never get there, one that sent more would pass it.
    let full = () => {};
    const gate = new Promise<void>((resolve) => (full = resolve));
    await uploadEncrypted({
      size,
      fileKey: key,
      open,
      put: async (n, chunk) => {
        most = Math.max(most, ++inFlight);
        if (inFlight === UPLOAD_PARALLEL) full();
        await gate;
        sent.set(n, chunk);
        inFlight -= 1;
      },
    });
    const indices = Array.from({ length: UPLOAD_PARALLEL + 4 }, (_, i) => i);
    expect([...sent.keys()].sort((a, b) => a - b)).toEqual(indices);
    expect(most).toBe(UPLOAD_PARALLEL);
    const blob = concatBytes(...[...sent.entries()].sort(([a], [b]) => a - b).map(([, c]) => c));
    // Compared by digest: a deep equality over megabytes takes minutes.
    const digest = async (data: Uint8Array) => toBase64Url(await sha256(data));
    expect(await digest(await decryptFile(key, blob))).toBe(await digest(bytes));
  });

  it("reads past the chunks the server has, and does not open a file it has whole", async () => {
    const { key, open } = fileOf(SIZE);
    const sent: number[] = [];
    await uploadEncrypted({
      size: SIZE,
      fileKey: key,
      open,
      received: new Set([0, 2, 3, 6]),
      put: (n) => Promise.resolve(void sent.push(n)),
    });
    expect(sent.sort()).toEqual([1, 4, 5]);

    let opened = false;
    await uploadEncrypted({
      size: SIZE,
      fileKey: key,
      open: () => {
        opened = true;
        return open();
      },
      received: new Set([0, 1, 2, 3, 4, 5, 6]),
      put: () => Promise.reject(new Error("nothing should be sent")),
    });
    expect(opened).toBe(false);
  });

  it("rejects with the first failed chunk, and stops at an aborted signal", async () => {
    const { key, open } = fileOf(SIZE);
    await expect(
      uploadEncrypted({
        size: SIZE,
        fileKey: key,
        open,
        put: (n) => (n === 2 ? Promise.reject(new Error("chunk 2 refused")) : Promise.resolve()),
      }),
    ).rejects.toThrow("chunk 2 refused");

    const controller = new AbortController();
    const sent: number[] = [];
    await expect(
      uploadEncrypted({
        size: SIZE,
        fileKey: key,
        open,
        signal: controller.signal,
        put: (n) => {
          sent.push(n);
          if (n === 1) controller.abort(new Error("cancelled"));
          return Promise.resolve();
        },
      }),
    ).rejects.toThrow("cancelled");
    expect(sent).toEqual([0, 1]);
  });
});
