/** Files (SPEC F12, §3.1): what the API adds to shares for encrypted, chunked blobs. */
import { z } from "zod";

import { BLOB_ID_BYTES } from "../files.js";
import { base64UrlBytes, decimalInteger, IsoDate } from "./common.js";

export const BlobId = base64UrlBytes(BLOB_ID_BYTES);

/** A blob as declared at create and listed after a reveal: `size` is its encrypted size. */
export const BlobDeclaration = z
  .object({
    id: BlobId,
    size: z
      .number()
      .int()
      .min(16)
      .max(2 ** 50),
  })
  .strict()
  .meta({ id: "BlobDeclaration" });
export type BlobDeclaration = z.infer<typeof BlobDeclaration>;

/** At most this many blobs pass the schema; the configured MAX_FILES is checked by the server. */
export const MAX_BLOBS_IN_BODY = 1000;

export const BlobParams = z.object({ id: base64UrlBytes(16), blob: BlobId });
/**
 * A chunk's index in its one spelling, decimal without a sign or leading zeros: a plain coercion
 * took `01`, `1.0`, `1e0`, `0x1` or a blank (0) as an index, so one chunk had many paths.
 */
export const ChunkParams = BlobParams.extend({ n: decimalInteger(0, 2 ** 31) });

/** The same routes under a request (§3.2: an answer's files, the request's id for the share's). */
const RequestIdParam = z
  .string()
  .min(22)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const RequestBlobParams = z.object({ id: RequestIdParam, blob: BlobId });
export const RequestChunkParams = RequestBlobParams.extend({ n: ChunkParams.shape.n });

/** `GET /api/v1/shares/{id}/upload`: what has arrived, so an interrupted upload resumes. */
export const UploadStatus = z
  .object({
    ready: z.boolean(),
    blobs: z.array(
      z.object({
        id: z.string(),
        size: z.number().int(),
        chunks: z.number().int(),
        /** Indexes of the chunks stored so far, ascending. */
        received: z.array(z.number().int()),
      }),
    ),
  })
  .meta({ id: "UploadStatus" });
export type UploadStatus = z.infer<typeof UploadStatus>;

/** What a reveal adds for a share with files. */
export const RevealFiles = z.object({
  blobs: z.array(z.object({ id: z.string(), size: z.number().int() })),
  downloadToken: z.string(),
  downloadExpiresAt: IsoDate,
});
export type RevealFiles = z.infer<typeof RevealFiles>;
