/**
 * The organization's second-factor rules (SPEC F16, extension; docs/SPEC.md): whether every
 * member must have one, and an admin's reset of a member's second factor.
 */
import type { OrgSecurity } from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

const orgPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}`;

export const orgSecondFactorApi = {
  requirement: (orgId: string) => api.get<OrgSecurity>(`${orgPath(orgId)}/security`),

  setRequirement: (orgId: string, requireSecondFactor: boolean) =>
    api.put<OrgSecurity>(`${orgPath(orgId)}/security`, { requireSecondFactor }),

  /** Removes the member's authenticator app and recovery codes; audited and mailed. */
  resetMember: (orgId: string, userId: string) =>
    api.delete(`${orgPath(orgId)}/members/${segment(userId)}/second-factor`),
};
