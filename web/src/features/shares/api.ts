/**
 * The share endpoints of HTTP API v1 (SPEC §4). Types come from the protocol package with
 * `import type`, so zod stays out of the bundle; answers are trusted to match them.
 */
import { api, ApiError, isApiError, segment } from "../../lib/api";
import type {
  EmailCodeSent,
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

export type {
  CreateShareBody,
  CreateShareResponse,
  EmailCodeSent,
  GoneReason,
  RevealResponse,
  ShareMetadata,
};

export { ApiError, isApiError };

const sharePath = (id: string) => `/api/v1/shares/${segment(id)}`;

export const sharesApi = {
  config: () => api.get<PublicConfig>("/api/v1/config"),

  create: (body: CreateShareBody) => api.post<CreateShareResponse>("/api/v1/shares", body),

  metadata: (id: string) => api.get<ShareMetadata>(sharePath(id)),

  reveal: (id: string, body: { viewToken: string; verifier?: string; emailCode?: string }) =>
    api.post<RevealResponse>(`${sharePath(id)}/reveal`, body),

  /** Issue 19: mails a six-digit code to the address a recipient's link was made for. */
  emailCode: (id: string, viewToken: string) =>
    api.post<EmailCodeSent>(`${sharePath(id)}/email-code`, { viewToken }),

  /** A link holder's delete: the same access rule, password and e-mail code as the reveal. */
  destroyWithViewToken: (id: string, viewToken: string, verifier?: string, emailCode?: string) =>
    api.delete(sharePath(id), {
      headers: {
        "X-View-Token": viewToken,
        ...(verifier ? { "X-Verifier": verifier } : {}),
        ...(emailCode ? { "X-Email-Code": emailCode } : {}),
      },
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
