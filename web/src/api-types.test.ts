/**
 * The web app's API answers are the protocol's types (issue 16): each endpoint function resolves
 * to exactly what the protocol's zod schema infers. A copy written by hand that drifts from the
 * schema, or a schema change the web does not follow, fails `tsc -p web` here.
 */
import { describe, expect, it } from "vitest";

import type {
  AcceptedInvitation,
  DriftedAnswers,
  ApiTokenList,
  AuditEntryPage,
  CreatedWebhook,
  CreateApiTokenResponse,
  CreatedInvitation,
  CreateRequestResponse,
  CreateShareResponse,
  DeletedCount,
  InvitationInfo,
  Me,
  MemberList,
  RecoveryCodes,
  SecondFactorChallenge,
  SecondFactorStatus,
  TotpEnrolment,
  OrgBranding,
  OrgSummary,
  PendingInvitationList,
  PublicConfig,
  RequestList,
  RequestMetadata,
  RevealRequestResponse,
  RevealResponse,
  ShareEvents,
  ShareList,
  ShareManageStatus,
  ShareMetadata,
  Webhook,
  WebhookDeliveryList,
  WebhookList,
} from "@hushlink/protocol";

import type { accountsApi } from "./features/accounts/api";
import type { auditApi } from "./features/audit/api";
import type { brandingApi } from "./features/branding/api";
import type { dashboardApi } from "./features/dashboard/api";
import type { requestsApi } from "./features/requests/api";
import type { sharesApi } from "./features/shares/api";
import type { webhooksApi } from "./features/webhooks/api";

/**
 * Each endpoint function beside the schema (or schemas) of its answer. The check below names
 * every row whose function resolves to anything but exactly what the schema infers.
 */
interface Endpoints {
  "dashboardApi.shares": [typeof dashboardApi.shares, typeof ShareList];
  "dashboardApi.shareEvents": [typeof dashboardApi.shareEvents, typeof ShareEvents];
  "dashboardApi.deleteExpiredShares": [
    typeof dashboardApi.deleteExpiredShares,
    typeof DeletedCount,
  ];
  "dashboardApi.renameOrg": [typeof dashboardApi.renameOrg, typeof OrgSummary];
  "dashboardApi.members": [typeof dashboardApi.members, typeof MemberList];
  "dashboardApi.invite": [typeof dashboardApi.invite, typeof CreatedInvitation];
  "dashboardApi.pendingInvitations": [
    typeof dashboardApi.pendingInvitations,
    typeof PendingInvitationList,
  ];
  "dashboardApi.tokens": [typeof dashboardApi.tokens, typeof ApiTokenList];
  "dashboardApi.createToken": [typeof dashboardApi.createToken, typeof CreateApiTokenResponse];
  "brandingApi.get": [typeof brandingApi.get, typeof OrgBranding];
  "brandingApi.uploadLogo": [typeof brandingApi.uploadLogo, typeof OrgBranding];
  "accountsApi.login": [typeof accountsApi.login, typeof Me | typeof SecondFactorChallenge];
  "accountsApi.completeSignIn": [typeof accountsApi.completeSignIn, typeof Me];
  "accountsApi.secondFactor": [typeof accountsApi.secondFactor, typeof SecondFactorStatus];
  "accountsApi.startTotp": [typeof accountsApi.startTotp, typeof TotpEnrolment];
  "accountsApi.confirmTotp": [typeof accountsApi.confirmTotp, typeof RecoveryCodes];
  "accountsApi.invitation": [typeof accountsApi.invitation, typeof InvitationInfo];
  "accountsApi.acceptInvitation": [typeof accountsApi.acceptInvitation, typeof AcceptedInvitation];
  "sharesApi.config": [typeof sharesApi.config, typeof PublicConfig];
  "sharesApi.create": [typeof sharesApi.create, typeof CreateShareResponse];
  "sharesApi.metadata": [typeof sharesApi.metadata, typeof ShareMetadata];
  "sharesApi.reveal": [typeof sharesApi.reveal, typeof RevealResponse];
  "sharesApi.manageStatus": [typeof sharesApi.manageStatus, typeof ShareManageStatus];
  "requestsApi.metadata": [typeof requestsApi.metadata, typeof RequestMetadata];
  "requestsApi.create": [typeof requestsApi.create, typeof CreateRequestResponse];
  "requestsApi.list": [typeof requestsApi.list, typeof RequestList];
  "requestsApi.reveal": [typeof requestsApi.reveal, typeof RevealRequestResponse];
  "auditApi.entries": [typeof auditApi.entries, typeof AuditEntryPage];
  "webhooksApi.list": [typeof webhooksApi.list, typeof WebhookList];
  "webhooksApi.create": [typeof webhooksApi.create, typeof CreatedWebhook];
  "webhooksApi.update": [typeof webhooksApi.update, typeof Webhook];
  "webhooksApi.deliveries": [typeof webhooksApi.deliveries, typeof WebhookDeliveryList];
}

describe("the web's answer types", () => {
  it("are the protocol's", () => {
    // A row that drifted makes this a type error naming it ("none" is not assignable to "…").
    type Drifted = DriftedAnswers<Endpoints>;
    const drifted: [Drifted] extends [never] ? "none" : Drifted = "none";
    expect(drifted).toBe("none");
  });
});
