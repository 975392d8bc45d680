/**
 * The CLI's API answers are the protocol's types (issue 16): each client method resolves to what
 * the protocol's zod schema infers (the config with its file limits filled in for older servers).
 * A hand-written copy that drifts, or a schema change the CLI does not follow, fails `tsc -p cli`.
 */
import type { z } from "zod";
import { describe, expectTypeOf, it } from "vitest";

import type {
  CreateRequestResponse,
  CreateShareResponse,
  Me,
  PublicConfig,
  RequestList,
  RevealRequestResponse,
  RevealResponse,
  ShareManageStatus,
  ShareMetadata,
  UploadStatus,
} from "@hushlink/protocol";

import type { ApiClient } from "../src/lib/api-client.js";

type Answer<S extends z.ZodType> = z.output<S>;

describe("the CLI's answer types", () => {
  it("are the protocol's", () => {
    expectTypeOf<ApiClient["createShare"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof CreateShareResponse>
    >();
    expectTypeOf<ApiClient["shareMetadata"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof ShareMetadata>
    >();
    expectTypeOf<ApiClient["revealShare"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof RevealResponse>
    >();
    expectTypeOf<ApiClient["manageShare"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof ShareManageStatus>
    >();
    expectTypeOf<ApiClient["uploadStatus"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof UploadStatus>
    >();
    expectTypeOf<ApiClient["me"]>().returns.resolves.toEqualTypeOf<Answer<typeof Me>>();
    expectTypeOf<ApiClient["createRequest"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof CreateRequestResponse>
    >();
    expectTypeOf<ApiClient["listRequests"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof RequestList>
    >();
    expectTypeOf<ApiClient["revealRequest"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof RevealRequestResponse>
    >();
    // Older servers list no file limits; the client fills in 0 (no files).
    expectTypeOf<ApiClient["config"]>().returns.resolves.toEqualTypeOf<
      Answer<typeof PublicConfig> & {
        maxFiles: number;
        maxFileBytes: number;
        anonymousMaxFileBytes: number;
      }
    >();
  });
});
