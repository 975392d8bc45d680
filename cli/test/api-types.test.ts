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
  Me,
  PublicConfig,
  RequestList,
  RevealRequestResponse,
  RevealResponse,
  ShareManageStatus,
  ShareMetadata,
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

describe("the CLI's answer types", () => {
  it("are the protocol's", () => {
    // A row that drifted makes this a type error naming it ("none" is not assignable to "…").
    type Drifted = DriftedAnswers<Methods>;
    const drifted: [Drifted] extends [never] ? "none" : Drifted = "none";
    expect(drifted).toBe("none");
  });
});
