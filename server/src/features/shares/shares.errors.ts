/** The answers a link holder gets when a share cannot be opened: worded for people, no secrets. */
import { GoneError, NotFoundError } from "../../errors.js";
import type { GoneStatus } from "./shares.repository.js";

const GONE_MESSAGES: Record<GoneStatus, string> = {
  viewed: "This secret was already viewed. If that was not you, tell the sender.",
  // Said of a share whose views were partly used too, so it does not claim nobody saw it.
  expired: "This secret expired.",
  deleted: "This secret was deleted.",
  locked: "This secret was destroyed after too many wrong passwords.",
  revoked: "The sender took this link back.",
};

export function goneError(reason: GoneStatus, at: number | null): GoneError {
  return new GoneError("share_gone", GONE_MESSAGES[reason], {
    reason,
    at: new Date(at ?? 0).toISOString(),
  });
}

export function notFoundError(): NotFoundError {
  return new NotFoundError(
    "share_not_found",
    "This link does not exist. Check that it was copied completely.",
  );
}
