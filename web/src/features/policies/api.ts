/** An organization's sharing policy (SPEC F16, extension): read by members, set by admins. */
import type { OrgPolicy, SharingPolicy, SharingPolicyBody } from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

export type { OrgPolicy, SharingPolicy, SharingPolicyBody };

const policyPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}/policy`;

export const policiesApi = {
  get: (orgId: string) => api.get<OrgPolicy>(policyPath(orgId)),
  /** The whole policy; omitted rules go back to their defaults. */
  put: (orgId: string, policy: SharingPolicyBody) => api.put<OrgPolicy>(policyPath(orgId), policy),
};
