/**
 * The CLI's API answers are the protocol's types (issue 16): each client method resolves to what
 * the protocol's zod schema infers (the config with its file limits filled in for older servers).
 * A hand-written copy that drifts, or a schema change the CLI does not follow, fails `tsc -p cli`.
 */
import { describe, expect, it } from "vitest";

import type {
  CreateRequestResponse,
  CreateShareResponse,
  DriftedAnswers,
  EmailCodeSent,
  Me,
  OpenRequestResponse,
  PublicConfig,
  RequestList,
  RequestMetadata,
  RevealRequestResponse,
  RevealResponse,
  ShareList,
  ShareManageStatus,
  ShareMetadata,
  SubmitRequestResponse,
  UploadStatus,
} from "@hushlink/protocol";
import type { z } from "zod";

import type { ApiClient } from "../src/lib/api-client.js";

/** Each client method beside the schema of its answer (or the answer type itself). */
interface Methods {
  createShare: [ApiClient["createShare"], typeof CreateShareResponse];
  shareMetadata: [ApiClient["shareMetadata"], typeof ShareMetadata];
  revealShare: [ApiClient["revealShare"], typeof RevealResponse];
  manageShare: [ApiClient["manageShare"], typeof ShareManageStatus];
  uploadStatus: [ApiClient["uploadStatus"], typeof UploadStatus];
  me: [ApiClient["me"], typeof Me];
  createRequest: [ApiClient["createRequest"], typeof CreateRequestResponse];
  listRequests: [ApiClient["listRequests"], typeof RequestList];
  revealRequest: [ApiClient["revealRequest"], typeof RevealRequestResponse];
  requestEmailCode: [ApiClient["requestEmailCode"], typeof EmailCodeSent];
  myShares: [ApiClient["myShares"], typeof ShareList];
  mySharesPage: [ApiClient["mySharesPage"], typeof ShareList];
  requestMetadata: [ApiClient["requestMetadata"], typeof RequestMetadata];
  openRequest: [ApiClient["openRequest"], typeof OpenRequestResponse];
  // A text answer is a 204 (null); one with files gets its upload token.
  submitAnswer: [ApiClient["submitAnswer"], z.output<typeof SubmitRequestResponse> | null];
  // Older servers list no file limits; the client fills in 0 (no files).
  config: [
    ApiClient["config"],
    z.output<typeof PublicConfig> & {
      maxFiles: number;
      maxFileBytes: number;
      anonymousMaxFileBytes: number;
    },
  ];
}

/**
 * What the client answers with that is no JSON answer of the API: the file transfers (bytes in
 * and out), the audit export (an NDJSON stream) and the 204s of a delete.
 */
type NotJson = "putChunk" | "downloadBlob" | "auditExport" | "deleteShare" | "deleteRequest";

/** The client's methods that call the API, so that a new one cannot skip the table. */
type Calls = {
  [K in keyof ApiClient]: ApiClient[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof ApiClient];

describe("the CLI's answer types", () => {
  it("are all in the table", () => {
    // A method left out makes this a type error naming it ("none" is not assignable to "…").
    type Missing = Exclude<Calls, keyof Methods | NotJson>;
    const missing: [Missing] extends [never] ? "none" : Missing = "none";
    expect(missing).toBe("none");
  });

  it("are the protocol's", () => {
    // A row that drifted makes this a type error naming it ("none" is not assignable to "…").
    type Drifted = DriftedAnswers<Methods>;
    const drifted: [Drifted] extends [never] ? "none" : Drifted = "none";
    expect(drifted).toBe("none");
  });
});
