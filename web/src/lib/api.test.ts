import { describe, expect, it } from "vitest";

import { ApiError } from "./api";

const gone = (reason: unknown) =>
  new ApiError(410, "share_gone", "gone", { reason, at: "2026-03-04T05:06:07.000Z" });

describe("ApiError.goneReason", () => {
  it("is each of the protocol's reasons", () => {
    for (const reason of ["viewed", "expired", "deleted", "locked", "revoked"]) {
      expect(gone(reason).goneReason).toBe(reason);
    }
  });

  it("is null for anything else, an object's own property names included", () => {
    for (const reason of ["purged", "", "constructor", "toString", 3, null, undefined]) {
      expect(gone(reason).goneReason).toBeNull();
    }
  });
});
