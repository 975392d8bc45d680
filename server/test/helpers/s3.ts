/**
 * A real S3 HTTP server on 127.0.0.1 for the S3 blob store (s3rver: the S3 REST API over a
 * folder), so the store's requests go through the AWS SDK and the network as in production.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import S3rver from "s3rver";

export const TEST_BUCKET = "hushlink-test";

export interface TestS3 {
  env: Record<string, string>;
  /** Objects held in the bucket for one share (s3rver keeps each object as a file). */
  objectCount(shareId: string): number;
  /** Objects held under a key prefix, e.g. `request-blobs/{id}` for a request's answer. */
  objectsUnder(prefix: string): number;
  close(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), "hushlink-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: TEST_BUCKET }],
  });
  const { port } = await server.run();
  const bucketDir = join(directory, TEST_BUCKET);
  function objectsUnder(prefix: string): number {
    let count = 0;
    // The store deletes objects right after a transaction, so a file or folder listed here may be
    // gone by the time it is looked at: what is gone is not counted.
    const walk = (dir: string) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      for (const name of names) {
        const path = join(dir, name);
        const stat = statSync(path, { throwIfNoEntry: false });
        if (stat?.isDirectory()) walk(path);
        else if (stat && name.endsWith("._S3rver_object")) count++;
      }
    };
    const dir = join(bucketDir, ...prefix.split("/"));
    if (existsSync(dir)) walk(dir);
    return count;
  }
  return {
    env: {
      BLOB_STORE: "s3",
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: "us-east-1",
      S3_BUCKET: TEST_BUCKET,
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
    },
    objectCount: (shareId) => objectsUnder(`blobs/${shareId}`),
    objectsUnder,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
