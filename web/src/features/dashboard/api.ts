/**
 * Dashboard endpoints of HTTP API v1 (SPEC §4, F5, F8): the organization's shares and their
 * access logs, members and invitations (sent and pending), personal API tokens. All need a
 * session.
 */
import type {
  ApiToken,
  ApiTokenList,
  CreateApiTokenBody,
  CreateApiTokenResponse,
  CreatedInvitation,
  DeletedCount,
  Member,
  MemberList,
  OrgSummary,
  PendingInvitation,
  PendingInvitationList,
  Role,
  ShareEvents,
  ShareList,
  ShareListItem,
} from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

// The answers' types are the protocol's (issue 16): one definition for server, web and CLI.
export type { ApiToken, Member, PendingInvitation, ShareListItem };
export type ShareRecipient = ShareListItem["recipients"][number];
export type ShareEvent = ShareEvents["items"][number];
export type SentInvitation = CreatedInvitation;

const orgPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}`;

export const dashboardApi = {
  shares: (
    orgId: string,
    cursor: string | null,
    limit: number,
    filters: Record<string, string | undefined> = {},
  ) => api.get<ShareList>("/api/v1/shares", { query: { orgId, cursor, limit, ...filters } }),

  /** "Delete all expired" (extension): an admin's removes the organization's, a member's their own. */
  deleteExpiredShares: (orgId: string) =>
    api.delete<DeletedCount>("/api/v1/shares/expired", { query: { orgId } }),

  shareEvents: (id: string) => api.get<ShareEvents>(`/api/v1/shares/${segment(id)}/events`),

  deleteShare: (id: string) => api.delete(`/api/v1/shares/${segment(id)}`),

  /** F14: destroys one recipient's own link (tombstone `revoked`); the others keep working. */
  revokeRecipient: (id: string, recipientId: string) =>
    api.post(`/api/v1/shares/${segment(id)}/recipients/${segment(recipientId)}/revoke`),

  /** Issue 25: mails that recipient's own link again (resend, or retry a failed delivery). */
  resendRecipient: (id: string, recipientId: string, linkSecret: string) =>
    api.post(`/api/v1/shares/${segment(id)}/recipients/${segment(recipientId)}/resend`, {
      linkSecret,
    }),

  /** Extension: admins rename the organization. */
  renameOrg: (orgId: string, name: string) => api.patch<OrgSummary>(orgPath(orgId), { name }),

  /** `password`: the recent proof deleting the organization needs (extension). */
  deleteOrg: (orgId: string, name: string, password?: string) =>
    api.delete(orgPath(orgId), { body: { name, password } }),

  members: (orgId: string) => api.get<MemberList>(`${orgPath(orgId)}/members`),

  /** `password`: the recent proof making someone admin needs (extension). */
  setRole: (orgId: string, userId: string, role: Role, password?: string) =>
    api.put(`${orgPath(orgId)}/members/${segment(userId)}`, {
      role,
      ...(password ? { password } : {}),
    }),

  removeMember: (orgId: string, userId: string) =>
    api.delete(`${orgPath(orgId)}/members/${segment(userId)}`),

  invite: (orgId: string, email: string, role: Role, password?: string) =>
    api.post<CreatedInvitation>(`${orgPath(orgId)}/invitations`, {
      email,
      role,
      ...(password ? { password } : {}),
    }),

  pendingInvitations: (orgId: string) =>
    api.get<PendingInvitationList>(`${orgPath(orgId)}/invitations`),

  /** Extension: mails a pending invitation again with a new link; the old link stops working. */
  resendInvitation: (orgId: string, invitationId: string) =>
    api.post<SentInvitation>(`${orgPath(orgId)}/invitations/${segment(invitationId)}/resend`),

  cancelInvitation: (orgId: string, invitationId: string) =>
    api.delete(`${orgPath(orgId)}/invitations/${segment(invitationId)}`),

  tokens: () => api.get<ApiTokenList>("/api/v1/tokens"),

  createToken: (body: CreateApiTokenBody) =>
    api.post<CreateApiTokenResponse>("/api/v1/tokens", body),

  revokeToken: (id: string) => api.delete(`/api/v1/tokens/${segment(id)}`),
};
