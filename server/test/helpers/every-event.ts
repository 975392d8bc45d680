/**
 * One run through every audited event of an organization, each provoked over HTTP as a client
 * would (SPEC F18): the audit test checks every event type reaches the export, the webhook
 * payload scan checks no delivered body holds what the run handled. Answers the secrets it saw:
 * link secrets, view tokens, verifiers, ciphertext, passwords, API tokens, session cookies,
 * invitation and e-mail tokens, reading secrets and read tokens, TOTP secrets and codes, recovery
 * codes, submitted values, webhook secrets, and the names given to shares and requests.
 */
import { generate } from "otplib";
import { expect } from "vitest";

import {
  AuditEventType,
  createRequestKeys,
  derivePasswordKeys,
  deriveReadingKeys,
  sealAnswer,
  sealForRecipients,
  type CreatedWebhook,
  type WebhookFormat,
} from "@hushlink/protocol";

import {
  GOOD_PASSWORD,
  linkIn,
  login,
  memberOf,
  orgIdOf,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./accounts.js";
import type { TestApp } from "./app.js";
import { provokePasskeyEvents } from "./passkeys.js";
import { buildShare, FAST_KDF } from "./builders.js";
import { createShare, json, reveal } from "./http.js";
import { ssoToCallback, type TestProvider } from "./oidc-provider.js";
import { TEST_MAIL_FROM, type TestSmtpServer } from "./smtp.js";

export const CALLBACK = "http://hushlink.test/api/v1/auth/sso/callback";
/** The app's environment the run needs: two wrong passwords lock a share. */
export const everyEventEnv = (smtp: TestSmtpServer) => ({
  PASSWORD_ATTEMPTS: "2",
  SMTP_URL: smtp.url,
  MAIL_FROM: TEST_MAIL_FROM,
});

export interface EveryEventRun {
  admin: Client;
  orgId: string;
  hooks: CreatedWebhook[];
  /** Every secret the run handled (8 characters or more). */
  secrets: string[];
  /** The six-digit e-mail and authenticator codes the run used. */
  codes: string[];
}

const idOf = async (c: Client) =>
  json<{ user: { id: string } }>(await c.inject({ url: "/api/v1/auth/me" })).user.id;

function expectStatus(res: { statusCode: number; body: string }, status: number, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
}

export async function provokeEveryEvent(
  t: TestApp,
  options: {
    idp: TestProvider;
    smtp: TestSmtpServer;
    domain: string;
    hooks?: { url: string; format: WebhookFormat }[];
  },
): Promise<EveryEventRun> {
  /** The text of every mail to `email` so far, quoted-printable soft breaks undone. */
  const mailsTo = async (email: string) => {
    await t.services.mail.runOnce();
    return options.smtp.messages
      .filter((m) => m.envelopeTo.includes(email))
      .map((m) => m.parsed.text ?? "");
  };
  const secrets: string[] = [];
  const codes: string[] = [];
  const keep = (...values: (string | undefined)[]) => {
    for (const v of values) if (v) secrets.push(v);
  };
  const cookiesOf = (c: Client) => Object.values(c.headers).flatMap((h) => h.split(/[;=\s]+/));

  let admin = await signup(t, uniqueEmail("every-admin"), "Every Co");
  keep(GOOD_PASSWORD, ...cookiesOf(admin));
  const orgId = await orgIdOf(admin);
  const orgUrl = `/api/v1/orgs/${orgId}`;

  // Webhooks first, so they hear everything after: webhook.created.
  const hooks: CreatedWebhook[] = [];
  for (const hook of options.hooks ?? []) {
    const res = await admin.inject({
      method: "POST",
      url: `${orgUrl}/webhooks`,
      payload: { url: hook.url, events: AuditEventType.options, format: hook.format },
    });
    expectStatus(res, 201, "webhook");
    hooks.push(json<CreatedWebhook>(res));
  }
  keep(...hooks.flatMap((h) => [h.secret, h.secret.slice("whsec_".length)]));

  // Sign-ins: signin.failed, signin.succeeded.
  const wrongPassword = "not-the-password-at-all-77";
  keep(wrongPassword);
  await signInAttempt(t, admin.email, wrongPassword);
  admin = await login(t, admin.email);
  keep(...cookiesOf(admin));

  // Shares: created, revealed, wrong password twice then locked, deleted.
  const open = await buildShare({ name: "Name of the open share" });
  const locked = await buildShare({ password: "the right one", name: "Name of the locked share" });
  const removed = await buildShare({ name: "Name of the deleted share" });
  const wrong = await derivePasswordKeys(locked.linkSecret, "a wrong one", FAST_KDF);
  keep(
    "Name of the open share",
    "Name of the locked share",
    "Name of the deleted share",
    "the right one",
    "a wrong one",
    wrong.verifier,
  );
  for (const s of [open, locked, removed]) {
    keep(s.linkSecret, s.body.viewToken, s.body.ciphertext, s.text);
    const res = await createShare(admin, { ...s.body, orgId });
    expectStatus(res, 201, "share");
    // The manage token and whatever else the answer carries, but the id: the event's target.
    const { id: _id, ...answer } = json<Record<string, unknown>>(res);
    keep(...Object.values(answer).filter((v): v is string => typeof v === "string"));
  }
  expectStatus(await reveal(t.app, open.body.id, { viewToken: open.body.viewToken }), 200, "view");
  for (let i = 0; i < 2; i += 1)
    await reveal(t.app, locked.body.id, {
      viewToken: locked.body.viewToken,
      verifier: wrong.verifier,
    });
  expectStatus(
    await admin.inject({ method: "DELETE", url: `/api/v1/shares/${removed.body.id}` }),
    204,
    "delete",
  );

  // A link per recipient: an outsider's opens with an e-mailed code (share.revealed), an
  // insider's is revoked (share.revoked).
  const outsider = uniqueEmail("every-outsider");
  const insider = await memberOf(t, orgId, uniqueEmail("every-insider"));
  const linkPassword = "harbor-lantern-904";
  keep(linkPassword);
  const sealed = await sealForRecipients("the vault key", [outsider, insider.email], {
    password: linkPassword,
    kdf: FAST_KDF,
  });
  for (const l of sealed.recipientLinks) keep(l.linkSecret, l.viewToken, l.ciphertext);
  expectStatus(
    await createShare(admin, {
      id: sealed.id,
      recipientLinks: sealed.recipientLinks,
      expiresIn: 86_400,
      allowExternalRecipients: true,
      orgId,
    }),
    201,
    "recipient links",
  );
  const outsiderLink = sealed.recipientLinks.find((l) => l.email === outsider)!;
  expectStatus(
    await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${outsiderLink.id}/email-code`,
      payload: { viewToken: outsiderLink.viewToken },
    }),
    200,
    "e-mail code",
  );
  const mailed = (await mailsTo(outsider)).join("\n");
  const emailCode = /Your code: (\d{6})/.exec(mailed)?.[1];
  expect(emailCode, "the e-mailed code").toBeDefined();
  codes.push(emailCode!);
  const outsiderVerifier = (
    await derivePasswordKeys(outsiderLink.linkSecret, linkPassword, FAST_KDF)
  ).verifier;
  // A wrong code first: share.wrong_email_code.
  expectStatus(
    await reveal(t.app, outsiderLink.id, {
      viewToken: outsiderLink.viewToken,
      verifier: outsiderVerifier,
      emailCode: emailCode === "000000" ? "111111" : "000000",
    }),
    403,
    "wrong e-mail code",
  );
  expectStatus(
    await reveal(t.app, outsiderLink.id, {
      viewToken: outsiderLink.viewToken,
      verifier: (await derivePasswordKeys(outsiderLink.linkSecret, linkPassword, FAST_KDF))
        .verifier,
      emailCode: emailCode!,
    }),
    200,
    "view with a code",
  );
  const listed = json<{ items: { id: string; recipients: { id: string; email: string }[] }[] }>(
    await admin.inject({ url: `/api/v1/shares?orgId=${orgId}` }),
  );
  const line = listed.items
    .find((i) => i.id === sealed.id)!
    .recipients.find((r) => r.email === insider.email)!;
  expectStatus(
    await admin.inject({
      method: "POST",
      url: `/api/v1/shares/${sealed.id}/recipients/${line.id}/revoke`,
    }),
    204,
    "revoke",
  );

  // API tokens and requests: server-encrypted (created by token, answered, opened by reveal,
  // deleted) and end-to-end (answered, opened with the reading link).
  const token = json<{ id: string; token: string }>(
    await admin.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "every" } }),
  );
  keep(token.token);
  const request = await t.app.inject({
    method: "POST",
    url: "/api/v1/requests",
    headers: { authorization: `Bearer ${token.token}` },
    payload: { orgId, expiresIn: 600, access: "anyone", name: "Name of the request" },
  });
  expectStatus(request, 201, "request");
  keep("Name of the request");
  const requestId = json<{ id: string }>(request).id;
  const value = `submitted-value-${Math.random().toString(36).slice(2)}`;
  keep(value);
  expectStatus(
    await t.app.inject({
      method: "POST",
      url: `/api/v1/requests/${requestId}/submit`,
      payload: { value },
    }),
    204,
    "answer",
  );
  expectStatus(
    await admin.inject({ method: "POST", url: `/api/v1/requests/${requestId}/reveal` }),
    200,
    "request reveal",
  );
  const keys = await createRequestKeys();
  const { readToken } = await deriveReadingKeys(keys.readingSecret);
  keep(keys.readingSecret, readToken, keys.body.encryptedPrivateKey);
  const e2e = await admin.inject({
    method: "POST",
    url: "/api/v1/requests",
    payload: { ...keys.body, orgId, expiresIn: 600, access: "anyone" },
  });
  expectStatus(e2e, 201, "end-to-end request");
  const e2eId = json<{ id: string }>(e2e).id;
  const e2eText = `sealed-answer-${Math.random().toString(36).slice(2)}`;
  keep(e2eText);
  const answer = await sealAnswer(keys.body.publicKey, { text: e2eText });
  keep(answer.ciphertext);
  expectStatus(
    await t.app.inject({
      method: "POST",
      url: `/api/v1/requests/${e2eId}/submit`,
      payload: { ...answer },
    }),
    204,
    "sealed answer",
  );
  expectStatus(
    await t.app.inject({
      method: "POST",
      url: `/api/v1/requests/${e2eId}/open`,
      payload: { readToken },
    }),
    200,
    "open",
  );
  await admin.inject({ method: "DELETE", url: `/api/v1/requests/${requestId}` });
  await admin.inject({ method: "DELETE", url: `/api/v1/tokens/${token.id}` });

  // Settings: branding, sharing policy, second-factor requirement, single sign-on.
  const settings: [string, string, object][] = [
    ["PUT", `${orgUrl}/branding`, { primaryColor: "#123456" }],
    ["PUT", `${orgUrl}/policy`, { maxViews: 50 }],
    ["PUT", `${orgUrl}/security`, { requireSecondFactor: false }],
    [
      "PUT",
      `${orgUrl}/sso`,
      {
        enabled: true,
        issuer: options.idp.issuer,
        clientId: options.idp.clientId,
        clientSecret: options.idp.clientSecret,
        domains: [options.domain],
      },
    ],
  ];
  for (const [method, url, payload] of settings)
    expectStatus(await admin.inject({ method: method as "PUT", url, payload }), 200, url);
  // The domain counts once proven by DNS (sso-domains.test.ts proves through a DNS server);
  // here the claim is marked proven as the check would, so the sign-ins below are routed.
  await t.database.db
    .updateTable("org_sso_domains")
    .set({ proven_at: t.clock.now() })
    .where("org_id", "=", orgId)
    .execute();
  keep(options.idp.clientSecret);

  // Members: invited twice (one joins by accepting, one by signing up through the link), role
  // changed, removed, left.
  const invite = async (email: string) => {
    expectStatus(
      await admin.inject({
        method: "POST",
        url: `${orgUrl}/invitations`,
        payload: { email, role: "member" },
      }),
      201,
      "invite",
    );
    const link = linkIn(await mailsTo(email), "http://hushlink.test/invitations/");
    const invitationToken = link.split("/invitations/")[1]!;
    keep(invitationToken);
    return invitationToken;
  };
  const joinerEmail = uniqueEmail("every-joiner");
  const joiner = await signup(t, joinerEmail);
  keep(...cookiesOf(joiner));
  expectStatus(
    await joiner.inject({
      method: "POST",
      url: `/api/v1/invitations/${await invite(joinerEmail)}/accept`,
    }),
    200,
    "accept",
  );
  const newcomerEmail = uniqueEmail("every-newcomer");
  expectStatus(
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: {
        email: newcomerEmail,
        password: GOOD_PASSWORD,
        invitation: await invite(newcomerEmail),
      },
    }),
    201,
    "invited sign-up",
  );
  const joinerId = await idOf(joiner);
  await admin.inject({
    method: "PUT",
    url: `${orgUrl}/members/${joinerId}`,
    payload: { role: "admin" },
  });
  await admin.inject({ method: "DELETE", url: `${orgUrl}/members/${joinerId}` });
  const leaver = await memberOf(t, orgId);
  await leaver.inject({ method: "DELETE", url: `${orgUrl}/members/${await idOf(leaver)}` });

  // A second factor: a wrong code, the right one, then the admin resets it.
  const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(t.clock.now() / 1000) });
  const careful = await memberOf(t, orgId, uniqueEmail("every-2fa"));
  const started = json<{ secret: string }>(
    await careful.inject({ method: "POST", url: "/api/v1/auth/second-factor/totp" }),
  );
  keep(started.secret);
  const confirmed = await careful.inject({
    method: "POST",
    url: "/api/v1/auth/second-factor/totp/confirm",
    payload: { code: await codeAt(started.secret) },
  });
  expectStatus(confirmed, 200, "totp confirm");
  keep(...json<{ recoveryCodes: string[] }>(confirmed).recoveryCodes);
  t.clock.advance(30_000);
  const pending = json<{ pendingToken: string }>(
    await signInAttempt(t, careful.email),
  ).pendingToken;
  keep(pending);
  const rightCode = await codeAt(started.secret);
  const wrongCode = rightCode === "000000" ? "111111" : "000000";
  codes.push(rightCode);
  const second = (code: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor",
      payload: { pendingToken: pending, code },
    });
  expectStatus(await second(wrongCode), 401, "wrong code");
  const signedIn = await second(rightCode);
  expectStatus(signedIn, 200, "right code");
  keep(...signedIn.cookies.map((c) => c.value).filter((v) => v.length >= 8));
  // Passkeys: passkey.added, passkey.removed, signin.succeeded via passkey.
  keep(...(await provokePasskeyEvents(t, careful)));
  // The account's own changes: new recovery codes, then the authenticator app off (a passkey
  // stays); the app's set-up above was totp.enabled.
  const regenerated = await careful.inject({
    method: "POST",
    url: "/api/v1/auth/second-factor/recovery-codes",
    payload: { password: GOOD_PASSWORD },
  });
  expectStatus(regenerated, 200, "new recovery codes");
  keep(...json<{ recoveryCodes: string[] }>(regenerated).recoveryCodes);
  expectStatus(
    await careful.inject({
      method: "DELETE",
      url: "/api/v1/auth/second-factor/totp",
      payload: { password: GOOD_PASSWORD },
    }),
    204,
    "authenticator app off",
  );
  expectStatus(
    await admin.inject({
      method: "DELETE",
      url: `${orgUrl}/members/${await idOf(careful)}/second-factor`,
    }),
    204,
    "second factor reset",
  );

  // Single sign-on: one that succeeds (a first sign-in joins), one the provider's unverified
  // address makes the callback refuse.
  for (const [n, verified] of [
    [1, true],
    [2, false],
  ] as const) {
    const email = `every${n}@${options.domain}`;
    options.idp.signInAs({ sub: `every-${n}`, email, email_verified: verified, name: "Every" });
    const { state, back, callback } = await ssoToCallback(t.app, email, { callback: CALLBACK });
    keep(state, ...back.searchParams.values());
    const answer = await callback();
    keep(...answer.cookies.map((c) => c.value).filter((v) => v.length >= 8));
  }

  // Webhook changes: an extra endpoint changed, then removed.
  const extra = json<CreatedWebhook>(
    await admin.inject({
      method: "POST",
      url: `${orgUrl}/webhooks`,
      payload: { url: "https://hooks.example.com/extra", events: ["share.created"] },
    }),
  );
  keep(extra.secret);
  expectStatus(
    await admin.inject({
      method: "PATCH",
      url: `${orgUrl}/webhooks/${extra.id}`,
      payload: { enabled: false },
    }),
    200,
    "webhook change",
  );
  await admin.inject({ method: "DELETE", url: `${orgUrl}/webhooks/${extra.id}` });

  // Expiry, last (it moves the clock): the sweeper's share.expired, then "Delete all expired",
  // one share.deleted per share it removed.
  const fleeting = await buildShare({ name: "Name of the fleeting share" });
  keep(fleeting.linkSecret, fleeting.body.viewToken, fleeting.body.ciphertext, fleeting.text);
  keep("Name of the fleeting share");
  expectStatus(
    await createShare(admin, { ...fleeting.body, orgId, expiresIn: 60 }),
    201,
    "fleeting share",
  );
  t.clock.advance(2 * 60_000);
  await t.services.sweeper.runOnce();
  const bulk = await admin.inject({
    method: "DELETE",
    url: `/api/v1/shares/expired?orgId=${orgId}`,
  });
  expectStatus(bulk, 200, "delete all expired");
  expect(json<{ deleted: number }>(bulk).deleted).toBeGreaterThan(0);

  // Every token any mail of the run carried (verification, invitation, links).
  await t.services.mail.runOnce();
  for (const m of options.smtp.messages)
    for (const found of m.raw
      .replace(/=\r?\n/g, "")
      .replace(/=3D/g, "=")
      .matchAll(/https?:\/\/hushlink\.test\/[^\s"<>]*[#/=]([A-Za-z0-9_-]{20,})/g))
      keep(found[1]);

  return {
    admin,
    orgId,
    hooks,
    secrets: [...new Set(secrets.filter((s) => s.length >= 8))],
    codes,
  };
}
