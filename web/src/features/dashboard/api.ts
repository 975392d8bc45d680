/**
 * Dashboard endpoints of HTTP API v1 (SPEC §4, F5, F8): the organization's shares and their
 * access logs, members and invitations (sent and pending), personal API tokens. All need a
 * session.
 */
import type { Role, ShareEvents, ShareList, ShareListItem } from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

export type { ShareListItem };
export type ShareEvent = ShareEvents["items"][number];

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface SentInvitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
}

/** An invitation not accepted yet and not expired (its link token is never shown again). */
export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  /** Absent when the admin who sent it has deleted their account. */
  invitedBy?: { userId: string; email: string; name: string | null };
  createdAt: string;
  expiresAt: string;
}

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
    api.delete<{ deleted: number }>("/api/v1/shares/expired", { query: { orgId } }),

  shareEvents: (id: string) => api.get<ShareEvents>(`/api/v1/shares/${segment(id)}/events`),

  deleteShare: (id: string) => api.delete(`/api/v1/shares/${segment(id)}`),

  /** Extension: admins rename the organization. */
  renameOrg: (orgId: string, name: string) =>
    api.patch<{ id: string; name: string }>(orgPath(orgId), { name }),

  members: (orgId: string) => api.get<{ items: Member[] }>(`${orgPath(orgId)}/members`),

  setRole: (orgId: string, userId: string, role: Role) =>
    api.put(`${orgPath(orgId)}/members/${segment(userId)}`, { role }),

  removeMember: (orgId: string, userId: string) =>
    api.delete(`${orgPath(orgId)}/members/${segment(userId)}`),

  invite: (orgId: string, email: string, role: Role) =>
    api.post<SentInvitation>(`${orgPath(orgId)}/invitations`, { email, role }),

  pendingInvitations: (orgId: string) =>
    api.get<{ items: PendingInvitation[] }>(`${orgPath(orgId)}/invitations`),

  /** Extension: mails a pending invitation again with a new link; the old link stops working. */
  resendInvitation: (orgId: string, invitationId: string) =>
    api.post<SentInvitation>(`${orgPath(orgId)}/invitations/${segment(invitationId)}/resend`),

  cancelInvitation: (orgId: string, invitationId: string) =>
    api.delete(`${orgPath(orgId)}/invitations/${segment(invitationId)}`),

  tokens: () => api.get<{ items: ApiToken[] }>("/api/v1/tokens"),

  createToken: (name: string) =>
    api.post<{ id: string; token: string }>("/api/v1/tokens", { name }),

  revokeToken: (id: string) => api.delete(`/api/v1/tokens/${segment(id)}`),
};
