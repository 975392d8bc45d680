/**
 * BLOB_STORE=s3: chunks as objects `blobs/{share}/{blob}/{n}` (`request-blobs/{request}/{blob}/{n}`
 * for the files of a request's answer) in any S3-compatible bucket, through
 * the AWS SDK. Checksums only where the API requires them, which every S3-compatible server
 * (MinIO, Ceph, Garage, s3rver) understands. The SDK is loaded at the first request, so servers
 * on the database store never load it (server/test/startup-footprint.test.ts).
 */
import type * as S3 from "@aws-sdk/client-s3";

import type { Config } from "../../../config.js";
import type { BlobStore, ChunkKey } from "./blob-store.js";

/** DeleteObjects takes at most 1,000 keys per request. */
const DELETE_BATCH = 1000;

export function objectKey(key: ChunkKey): string {
  return "requestId" in key
    ? `request-blobs/${key.requestId}/${key.blobId}/${key.n}`
    : `blobs/${key.shareId}/${key.blobId}/${key.n}`;
}

export function createS3BlobStore(settings: Config["files"]["s3"]): BlobStore {
  if (!settings.bucket) throw new Error("S3_BUCKET is required with BLOB_STORE=s3");
  const bucket = settings.bucket;
  let loaded: Promise<{ sdk: typeof S3; client: S3.S3Client }> | null = null;
  const connect = () =>
    (loaded ??= import("@aws-sdk/client-s3").then((sdk) => ({ sdk, client: create(sdk) })));
  const create = (sdk: typeof S3) =>
    new sdk.S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey
        ? {
            credentials: {
              accessKeyId: settings.accessKeyId,
              secretAccessKey: settings.secretAccessKey,
            },
          }
        : {}),
    });

  return {
    kind: "s3",
    async put(key, bytes) {
      const { sdk, client } = await connect();
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: "application/octet-stream",
        }),
      );
      return null;
    },
    async get(_db, key) {
      const { sdk, client } = await connect();
      try {
        const answer = await client.send(
          new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
        );
        if (!answer.Body) return null;
        return Buffer.from(await answer.Body.transformToByteArray());
      } catch (error) {
        if (error instanceof sdk.NoSuchKey) return null;
        throw error;
      }
    },
    async remove(keys) {
      if (keys.length === 0) return;
      const { sdk, client } = await connect();
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const answer = await client.send(
          new sdk.DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((k) => ({ Key: objectKey(k) })), Quiet: true },
          }),
        );
        // A missing key is not an error (already gone); anything else is retried by the sweeper.
        const failed = (answer.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
        if (failed.length > 0) {
          throw new Error(
            `S3 refused to delete ${failed.length} chunk object(s): ${failed[0]?.Code}`,
          );
        }
      }
    },
    async close() {
      if (loaded) (await loaded).client.destroy();
    },
  };
}
