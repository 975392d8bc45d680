/**
 * Unit tier: the two owners of files keep tables of their own, and a chunk's store key leads back
 * to its owner's rows (the database store reads them through it) and to the S3 object names that
 * buckets in the field already hold, unchanged.
 */
import { describe, expect, it } from "vitest";

import { answerFiles, ownerOf, shareFiles } from "./blobs.owner.js";
import { objectKey } from "./store/s3-store.js";

describe("file owners", () => {
  it("keep the tables of shares and of answers apart", () => {
    const tables = (o: typeof shareFiles | typeof answerFiles) => [o.blobs, o.chunks, o.grants];
    expect(tables(shareFiles)).toEqual(["share_blobs", "blob_chunks", "download_grants"]);
    expect(tables(answerFiles)).toEqual([
      "request_blobs",
      "request_blob_chunks",
      "request_download_grants",
    ]);
    expect([shareFiles.owner, answerFiles.owner]).toEqual(["share_id", "request_id"]);
  });

  it("lead from a chunk's key back to its owner and id", () => {
    expect(ownerOf(shareFiles.key("S", "B", 3))).toEqual({ files: shareFiles, id: "S" });
    expect(ownerOf(answerFiles.key("R", "B", 0))).toEqual({ files: answerFiles, id: "R" });
    // An id alike on both sides still finds the right owner: the key's kind decides, not the id.
    expect(ownerOf(answerFiles.key("S", "B", 3)).files).toBe(answerFiles);
  });

  it("name the S3 objects as before", () => {
    expect(objectKey(shareFiles.key("S", "B", 3))).toBe("blobs/S/B/3");
    expect(objectKey(answerFiles.key("R", "B", 0))).toBe("request-blobs/R/B/0");
  });
});
