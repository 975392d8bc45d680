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
/**
 * Bounds on one S3 request, so an S3 that accepts connections and never answers costs an upload
 * or a download a 503 after at most 2 x 15 s, not a request held until the socket's 73 s
 * inactivity cut with no answer (and a shutdown waiting on it): connecting, the answer's
 * headers, and silence on the socket while a body is read.
 */
export const S3_CONNECT_TIMEOUT_MS = 5_000;
export const S3_REQUEST_TIMEOUT_MS = 15_000;
const S3_MAX_ATTEMPTS = 2;

/**
 * Whatever S3 answered or failed with that is no fault of the client: a bucket that does not
 * exist, keys it refuses, an S3 that is down, slow or failing. The API answers 503 `unavailable`
 * (plugins/error-handler.ts) and logs `S3_` + the S3 error's name (`S3_NoSuchBucket`,
 * `S3_InvalidAccessKeyId`, `S3_TimeoutError`, `S3_ECONNREFUSED`): what the operator must look
 * at, without the message (which may quote a key or an address).
 */
export class BlobStoreError extends Error {
  readonly code: string;
  constructor(cause: unknown) {
    const e = (cause ?? {}) as { name?: unknown; code?: unknown };
    const what = [e.code, e.name].find(
      (v): v is string => typeof v === "string" && /^[A-Za-z0-9_]{1,37}$/.test(v) && v !== "Error",
    );
    super(`S3 request failed: ${what ?? "unknown"}`);
    this.name = "BlobStoreError";
    this.code = `S3_${what ?? "unknown"}`;
  }
}

export function objectKey(key: ChunkKey): string {
  return "requestId" in key
    ? `request-blobs/${key.requestId}/${key.blobId}/${key.n}`
    : `blobs/${key.shareId}/${key.blobId}/${key.n}`;
}

export function createS3BlobStore(
  settings: Config["files"]["s3"],
  /** The bounds above; tests shorten them. */
  timeouts = { connectMs: S3_CONNECT_TIMEOUT_MS, requestMs: S3_REQUEST_TIMEOUT_MS },
): BlobStore {
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
      maxAttempts: S3_MAX_ATTEMPTS,
      requestHandler: {
        connectionTimeout: timeouts.connectMs,
        requestTimeout: timeouts.requestMs,
        socketTimeout: timeouts.requestMs,
        throwOnRequestTimeout: true,
      },
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

  /** One S3 call; whatever it fails with becomes a BlobStoreError (503 `unavailable`). */
  async function send<T>(call: (sdk: typeof S3, client: S3.S3Client) => Promise<T>): Promise<T> {
    const { sdk, client } = await connect();
    try {
      return await call(sdk, client);
    } catch (error) {
      throw new BlobStoreError(error);
    }
  }

  return {
    kind: "s3",
    async put(key, bytes) {
      await send((sdk, client) =>
        client.send(
          new sdk.PutObjectCommand({
            Bucket: bucket,
            Key: objectKey(key),
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: "application/octet-stream",
          }),
        ),
      );
      return null;
    },
    async get(_db, key) {
      return send(async (sdk, client) => {
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
      });
    },
    async remove(keys) {
      if (keys.length === 0) return;
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const answer = await send((sdk, client) =>
          client.send(
            new sdk.DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((k) => ({ Key: objectKey(k) })), Quiet: true },
            }),
          ),
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
    async check() {
      await send((sdk, client) => client.send(new sdk.HeadBucketCommand({ Bucket: bucket })));
    },
    async close() {
      if (loaded) (await loaded).client.destroy();
    },
  };
}
