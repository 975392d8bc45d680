/**
 * The share endpoints of HTTP API v1 (SPEC §4). Types come from the protocol package with
 * `import type`, so zod stays out of the bundle; answers are trusted to match them.
 */
import { api, ApiError, isApiError, segment } from "../../lib/api";
import type {
  CreateShareBody,
  CreateShareResponse,
  GoneReason,
  PublicConfig,
  RevealResponse,
  ShareManageStatus,
  ShareMetadata,
} from "@hushlink/protocol";

/** Files (F12): older servers do not list the file limits, and the form then offers none. */
export type { PublicConfig };
export type ManageStatus = ShareManageStatus;

export type { CreateShareBody, CreateShareResponse, GoneReason, RevealResponse, ShareMetadata };

export { ApiError, isApiError };

const sharePath = (id: string) => `/api/v1/shares/${segment(id)}`;

export const sharesApi = {
  config: () => api.get<PublicConfig>("/api/v1/config"),

  create: (body: CreateShareBody) => api.post<CreateShareResponse>("/api/v1/shares", body),

  metadata: (id: string) => api.get<ShareMetadata>(sharePath(id)),

  reveal: (id: string, body: { viewToken: string; verifier?: string }) =>
    api.post<RevealResponse>(`${sharePath(id)}/reveal`, body),

  /** A link holder's delete: the same access rule and password as the reveal. */
  destroyWithViewToken: (id: string, viewToken: string, verifier?: string) =>
    api.delete(sharePath(id), {
      headers: { "X-View-Token": viewToken, ...(verifier ? { "X-Verifier": verifier } : {}) },
    }),

  manageStatus: (id: string, manageToken: string) =>
    api.get<ManageStatus>(`${sharePath(id)}/manage`, {
      headers: { "X-Manage-Token": manageToken },
    }),

  /** The signed-in creator's delete (the dashboard's, from the form after a cancelled upload). */
  deleteOwn: (id: string) => api.delete(sharePath(id)),

  deleteWithManageToken: (id: string, manageToken: string) =>
    api.delete(sharePath(id), { headers: { "X-Manage-Token": manageToken } }),
};
