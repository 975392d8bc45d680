import { describe, expect, it } from "vitest";

import { ApiError } from "../../lib/api";
import { answerErrorMessage } from "./answer-errors";

/** A 413 too_large as server/src/features/blobs/blobs.rules.ts words it (English page). */
const tooLarge = (limit: string, max: number) =>
  new ApiError(413, "too_large", "server words", { limit, max });

describe("answerErrorMessage", () => {
  it("says a request made without an account takes no files, not to sign in", () => {
    const message = answerErrorMessage(tooLarge("ANONYMOUS_MAX_FILE_BYTES", 0), 1000);
    expect(message).toBe(
      "This request was made without an account: its answer cannot carry files, send text only.",
    );
    expect(message).not.toMatch(/sign in|account\.$/i);
  });

  it("keeps the server's words for a limit that is not zero", () => {
    expect(answerErrorMessage(tooLarge("ANONYMOUS_MAX_FILE_BYTES", 1024), 1000)).toBe(
      "server words",
    );
  });
});
