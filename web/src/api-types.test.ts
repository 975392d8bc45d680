/**
 * The web app's API answers are the protocol's types (issue 16): each endpoint function resolves
 * to exactly what the protocol's zod schema infers. A copy written by hand that drifts from the
 * schema, or a schema change the web does not follow, fails `tsc -p web` here.
 */
import type { z } from "zod";
import { describe, expectTypeOf, it } from "vitest";

import type {
  AcceptedInvitation,
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

import { accountsApi } from "./features/accounts/api";
import { auditApi } from "./features/audit/api";
import { brandingApi } from "./features/branding/api";
import { dashboardApi } from "./features/dashboard/api";
import { requestsApi } from "./features/requests/api";
import { sharesApi } from "./features/shares/api";
import { webhooksApi } from "./features/webhooks/api";

/** The answer type of a schema, as the server sends it. */
type Answer<S extends z.ZodType> = z.output<S>;

describe("the web's answer types", () => {
  it("are the protocol's", () => {
    expectTypeOf(dashboardApi.shares).returns.resolves.toEqualTypeOf<Answer<typeof ShareList>>();
    expectTypeOf(dashboardApi.shareEvents).returns.resolves.toEqualTypeOf<
      Answer<typeof ShareEvents>
    >();
    expectTypeOf(dashboardApi.deleteExpiredShares).returns.resolves.toEqualTypeOf<
      Answer<typeof DeletedCount>
    >();
    expectTypeOf(dashboardApi.renameOrg).returns.resolves.toEqualTypeOf<
      Answer<typeof OrgSummary>
    >();
    expectTypeOf(dashboardApi.members).returns.resolves.toEqualTypeOf<Answer<typeof MemberList>>();
    expectTypeOf(dashboardApi.invite).returns.resolves.toEqualTypeOf<
      Answer<typeof CreatedInvitation>
    >();
    expectTypeOf(dashboardApi.pendingInvitations).returns.resolves.toEqualTypeOf<
      Answer<typeof PendingInvitationList>
    >();
    expectTypeOf(dashboardApi.tokens).returns.resolves.toEqualTypeOf<Answer<typeof ApiTokenList>>();
    expectTypeOf(dashboardApi.createToken).returns.resolves.toEqualTypeOf<
      Answer<typeof CreateApiTokenResponse>
    >();
    expectTypeOf(brandingApi.get).returns.resolves.toEqualTypeOf<Answer<typeof OrgBranding>>();
    expectTypeOf(brandingApi.uploadLogo).returns.resolves.toEqualTypeOf<
      Answer<typeof OrgBranding>
    >();
    expectTypeOf(accountsApi.login).returns.resolves.toEqualTypeOf<
      Answer<typeof Me> | Answer<typeof SecondFactorChallenge>
    >();
    expectTypeOf(accountsApi.completeSignIn).returns.resolves.toEqualTypeOf<Answer<typeof Me>>();
    expectTypeOf(accountsApi.secondFactor).returns.resolves.toEqualTypeOf<
      Answer<typeof SecondFactorStatus>
    >();
    expectTypeOf(accountsApi.startTotp).returns.resolves.toEqualTypeOf<
      Answer<typeof TotpEnrolment>
    >();
    expectTypeOf(accountsApi.confirmTotp).returns.resolves.toEqualTypeOf<
      Answer<typeof RecoveryCodes>
    >();
    expectTypeOf(accountsApi.invitation).returns.resolves.toEqualTypeOf<
      Answer<typeof InvitationInfo>
    >();
    expectTypeOf(accountsApi.acceptInvitation).returns.resolves.toEqualTypeOf<
      Answer<typeof AcceptedInvitation>
    >();
    expectTypeOf(sharesApi.config).returns.resolves.toEqualTypeOf<Answer<typeof PublicConfig>>();
    expectTypeOf(sharesApi.create).returns.resolves.toEqualTypeOf<
      Answer<typeof CreateShareResponse>
    >();
    expectTypeOf(sharesApi.metadata).returns.resolves.toEqualTypeOf<Answer<typeof ShareMetadata>>();
    expectTypeOf(sharesApi.reveal).returns.resolves.toEqualTypeOf<Answer<typeof RevealResponse>>();
    expectTypeOf(sharesApi.manageStatus).returns.resolves.toEqualTypeOf<
      Answer<typeof ShareManageStatus>
    >();
    expectTypeOf(requestsApi.metadata).returns.resolves.toEqualTypeOf<
      Answer<typeof RequestMetadata>
    >();
    expectTypeOf(requestsApi.create).returns.resolves.toEqualTypeOf<
      Answer<typeof CreateRequestResponse>
    >();
    expectTypeOf(requestsApi.list).returns.resolves.toEqualTypeOf<Answer<typeof RequestList>>();
    expectTypeOf(requestsApi.reveal).returns.resolves.toEqualTypeOf<
      Answer<typeof RevealRequestResponse>
    >();
    expectTypeOf(auditApi.entries).returns.resolves.toEqualTypeOf<Answer<typeof AuditEntryPage>>();
    expectTypeOf(webhooksApi.list).returns.resolves.toEqualTypeOf<Answer<typeof WebhookList>>();
    expectTypeOf(webhooksApi.create).returns.resolves.toEqualTypeOf<
      Answer<typeof CreatedWebhook>
    >();
    expectTypeOf(webhooksApi.update).returns.resolves.toEqualTypeOf<Answer<typeof Webhook>>();
    expectTypeOf(webhooksApi.deliveries).returns.resolves.toEqualTypeOf<
      Answer<typeof WebhookDeliveryList>
    >();
  });
});
