import { ForbiddenError, NotFoundError, UnauthorizedError, type AppError } from "../../errors.js";
import type { BrandingService } from "../branding/branding.service.js";

/** One answer for a request that does not exist, has expired, or is not the caller's to see. */
export function requestNotFound(): NotFoundError {
  return new NotFoundError(
    "request_not_found",
    "This request does not exist or has expired. Ask the requester for a new link.",
  );
}

/**
 * 401 or 403 for someone outside an organization-only request's organization. A branded
 * organization's page wears its look on these answers too (SPEC F7), so they carry its public
 * branding: what any of its share links shows anyone, and nothing of the request itself.
 */
export async function accessRefusal(
  branding: Pick<BrandingService, "forPublic"> | undefined,
  userId: string | null,
  orgId: string | null,
): Promise<AppError> {
  const error =
    userId === null
      ? new UnauthorizedError(
          "login_required",
          "Sign in with your organization account to answer this request.",
        )
      : new ForbiddenError(
          "not_allowed",
          "Only members of the requester's organization can answer this request.",
        );
  const look = orgId === null ? null : await branding?.forPublic(orgId);
  if (look) error.details.branding = look;
  return error;
}
