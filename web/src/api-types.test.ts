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
  EmailCodeSent,
  InvitationInfo,
  Me,
  MemberList,
  OpenRequestResponse,
  OrgPolicy,
  OrgSecurity,
  Passkey,
  PasskeyAdded,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRequestOptions,
  QueuedWebhookTest,
  RecoveryCodes,
  SecondFactorChallenge,
  SecondFactorStatus,
  TotpEnrolment,
  OrgBranding,
  OrgSummary,
  PendingInvitationList,
  PublicConfig,
  RequestList,
  RequestListItem,
  RequestMetadata,
  RevealRequestResponse,
  RevealResponse,
  ShareEvents,
  ShareList,
  ShareListItem,
  ShareManageStatus,
  ShareMetadata,
  SignupAccepted,
  SsoDiscovery,
  SsoSettings,
  SsoTestResult,
  SubmitRequestResponse,
  Webhook,
  WebhookDeliveryList,
  WebhookList,
} from "@hushlink/protocol";

import type { accountsApi } from "./features/accounts/api";
import type { auditApi } from "./features/audit/api";
import type { brandingApi } from "./features/branding/api";
import type { dashboardApi } from "./features/dashboard/api";
import type { Page } from "./features/dashboard/use-paged-list";
import type { orgSecondFactorApi } from "./features/orgs/second-factor-api";
import type { policiesApi } from "./features/policies/api";
import type { requestsApi } from "./features/requests/api";
import type { sharesApi } from "./features/shares/api";
import type { ssoApi } from "./features/sso/api";
import type { webhooksApi } from "./features/webhooks/api";
import type { fetchMe } from "./lib/session";

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
  "brandingApi.setColors": [typeof brandingApi.setColors, typeof OrgBranding];
  "brandingApi.setDefaultLocale": [typeof brandingApi.setDefaultLocale, typeof OrgBranding];
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
  "webhooksApi.test": [typeof webhooksApi.test, typeof QueuedWebhookTest];
  "dashboardApi.resendInvitation": [typeof dashboardApi.resendInvitation, typeof CreatedInvitation];
  fetchMe: [typeof fetchMe, typeof Me];
  "accountsApi.signup": [typeof accountsApi.signup, typeof Me | typeof SignupAccepted];
  "accountsApi.secondStepPasskeyOptions": [
    typeof accountsApi.secondStepPasskeyOptions,
    typeof PasskeyRequestOptions,
  ];
  "accountsApi.passkeySignInOptions": [
    typeof accountsApi.passkeySignInOptions,
    typeof PasskeyRequestOptions,
  ];
  "accountsApi.signInWithPasskey": [typeof accountsApi.signInWithPasskey, typeof Me];
  "accountsApi.passkeys": [typeof accountsApi.passkeys, typeof PasskeyList];
  "accountsApi.passkeyOptions": [typeof accountsApi.passkeyOptions, typeof PasskeyCreationOptions];
  "accountsApi.addPasskey": [typeof accountsApi.addPasskey, typeof PasskeyAdded];
  "accountsApi.renamePasskey": [typeof accountsApi.renamePasskey, typeof Passkey];
  "accountsApi.newRecoveryCodes": [typeof accountsApi.newRecoveryCodes, typeof RecoveryCodes];
  "sharesApi.emailCode": [typeof sharesApi.emailCode, typeof EmailCodeSent];
  "requestsApi.submitWithFiles": [typeof requestsApi.submitWithFiles, typeof SubmitRequestResponse];
  "requestsApi.open": [typeof requestsApi.open, typeof OpenRequestResponse];
  "policiesApi.get": [typeof policiesApi.get, typeof OrgPolicy];
  "policiesApi.put": [typeof policiesApi.put, typeof OrgPolicy];
  "orgSecondFactorApi.requirement": [typeof orgSecondFactorApi.requirement, typeof OrgSecurity];
  "orgSecondFactorApi.setRequirement": [
    typeof orgSecondFactorApi.setRequirement,
    typeof OrgSecurity,
  ];
  "ssoApi.settings": [typeof ssoApi.settings, typeof SsoSettings];
  "ssoApi.save": [typeof ssoApi.save, typeof SsoSettings];
  "ssoApi.verifyDomain": [typeof ssoApi.verifyDomain, typeof SsoSettings];
  "ssoApi.test": [typeof ssoApi.test, typeof SsoTestResult];
  "ssoApi.discover": [typeof ssoApi.discover, typeof SsoDiscovery];
}

/**
 * The endpoint functions of `api`, named as in the table, that resolve to an answer (not `void`,
 * nor `unknown` for a call whose answer the page does not read).
 */
type Answering<Api, Name extends string> = {
  [K in keyof Api & string]: Api[K] extends (...args: never[]) => Promise<infer R>
    ? unknown extends R
      ? never
      : [R] extends [void]
        ? never
        : `${Name}.${K}`
    : never;
}[keyof Api & string];

/** Every answering function of every feature's API, so that a new one cannot skip the table. */
type AllAnswering =
  | Answering<typeof accountsApi, "accountsApi">
  | Answering<typeof auditApi, "auditApi">
  | Answering<typeof brandingApi, "brandingApi">
  | Answering<typeof dashboardApi, "dashboardApi">
  | Answering<typeof orgSecondFactorApi, "orgSecondFactorApi">
  | Answering<typeof policiesApi, "policiesApi">
  | Answering<typeof requestsApi, "requestsApi">
  | Answering<typeof sharesApi, "sharesApi">
  | Answering<typeof ssoApi, "ssoApi">
  | Answering<typeof webhooksApi, "webhooksApi">;

describe("the web's answer types", () => {
  it("are all in the table", () => {
    // A function left out makes this a type error naming it ("none" is not assignable to "…").
    type Missing = Exclude<AllAnswering, keyof Endpoints>;
    const missing: [Missing] extends [never] ? "none" : Missing = "none";
    expect(missing).toBe("none");
  });

  it("page the lists as the protocol's cursor page", () => {
    // A Page written by hand that drifts from cursorPage makes this a type error naming the list.
    type Drifted = DriftedAnswers<{
      shares: [() => Promise<Page<ShareListItem>>, typeof ShareList];
      requests: [() => Promise<Page<RequestListItem>>, typeof RequestList];
    }>;
    const drifted: [Drifted] extends [never] ? "none" : Drifted = "none";
    expect(drifted).toBe("none");
  });

  it("are the protocol's", () => {
    // A row that drifted makes this a type error naming it ("none" is not assignable to "…").
    type Drifted = DriftedAnswers<Endpoints>;
    const drifted: [Drifted] extends [never] ? "none" : Drifted = "none";
    expect(drifted).toBe("none");
  });
});
