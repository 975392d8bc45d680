/**
 * End-to-end requests in the browser (SPEC F13, §3.2): the key pair and the reading secret are
 * made here, answers are sealed here and opened here. The server relays what it cannot read.
 */
import {
  createRequestKeys,
  deriveReadingKeys,
  linksOfCreatedRequest,
  openAnswer,
  type SharePayload,
} from "@hushlink/protocol/client";

import type { DownloadGrant } from "../files/components/RevealedFiles";
import { requestsApi, type CreateRequestInput, type CreateRequestResponse } from "./api";
import { keepRequest } from "./kept";

export interface CreatedEndToEnd extends CreateRequestResponse {
  /** `{PUBLIC_URL}/r/{id}#{fingerprint}`: what the requester sends. */
  requestLink: string;
  /** `{PUBLIC_URL}/r/{id}/open#{R}`: the only key to the answer. */
  readingLink: string;
  fingerprint: string;
  /** Whether this browser kept the reading secret (IndexedDB), so the dashboard opens it here. */
  kept: boolean;
}

/** Makes the keys, creates the request with them and keeps the reading secret in this browser. */
export async function createEndToEndRequest(
  input: Omit<CreateRequestInput, "publicKey" | "encryptedPrivateKey" | "keyIv" | "readToken">,
): Promise<CreatedEndToEnd> {
  const keys = await createRequestKeys();
  const created = await requestsApi.create({ ...input, ...keys.body });
  const links = linksOfCreatedRequest(created, keys);
  const kept = await keepRequest({
    id: created.id,
    readingSecret: keys.readingSecret,
    requestLink: links.requestLink,
  });
  return { ...created, ...links, fingerprint: keys.fingerprint, kept };
}

export type OpenedRequest =
  /** `uploading`: answered, but its files are still arriving (SPEC F13 with §3.1). */
  | { kind: "waiting"; expiresAt: string; uploading: boolean }
  | {
      kind: "answered";
      payload: SharePayload;
      submittedAt: string | null;
      /** The answer's files and the download window this open granted, when it has files. */
      files: AnswerFiles | null;
    };

export interface AnswerFiles {
  files: NonNullable<SharePayload["files"]>;
  grant: DownloadGrant;
}

/**
 * Opens an end-to-end request with its reading secret: the server answers the wrapped key and
 * the sealed answer only for the right read token (a wrong one is a 404, as an unknown id).
 * Throws RequestKeyError for a secret that does not unwrap the key, DecryptionError for an
 * answer altered on the server, ApiError otherwise.
 */
export async function openEndToEndRequest(
  id: string,
  readingSecret: string,
): Promise<OpenedRequest> {
  const { readToken } = await deriveReadingKeys(readingSecret);
  const opened = await requestsApi.open(id, readToken);
  if (!opened.answer) {
    return { kind: "waiting", expiresAt: opened.expiresAt, uploading: opened.uploading === true };
  }
  const payload = await openAnswer(readingSecret, opened, opened.answer);
  const files =
    payload.files?.length && opened.downloadToken && opened.downloadExpiresAt
      ? {
          files: payload.files,
          grant: {
            shareId: id,
            of: "requests" as const,
            downloadToken: opened.downloadToken,
            downloadExpiresAt: opened.downloadExpiresAt,
          },
        }
      : null;
  return { kind: "answered", payload, submittedAt: opened.submittedAt ?? null, files };
}

/** The first characters of a fingerprint, grouped, for people to compare by eye. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{1,4}/g) ?? []).join(" ");
}
