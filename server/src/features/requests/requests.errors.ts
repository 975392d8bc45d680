import { NotFoundError } from "../../errors.js";

/** One answer for a request that does not exist, has expired, or is not the caller's to see. */
export function requestNotFound(): NotFoundError {
  return new NotFoundError(
    "request_not_found",
    "This request does not exist or has expired. Ask the requester for a new link.",
  );
}
