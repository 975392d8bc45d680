import { describe, expect, it } from "vitest";

import { mailDataSchemas, type MailData, type MailKind } from "./mail.schemas.js";
import { escapeHtml, formatTime, headerSafe, renderMail } from "./templates.js";

const publicUrl = "https://secrets.example.com";
const at = Date.UTC(2030, 0, 2, 13, 45);

const samples: { [K in MailKind]: MailData[K] } = {
  share_delivery: {
    linkUrl: `${publicUrl}/s#abc`,
    orgName: "Acme",
    senderName: "Ada",
    expiresAt: at,
  },
  share_viewed: { shareName: "db password", viewedAt: at, ip: "203.0.113.9" },
  invitation: { orgName: "Acme", inviterName: "Ada", acceptUrl: `${publicUrl}/invitations/tok` },
  verify_email: { verifyUrl: `${publicUrl}/verify-email#tok` },
  password_reset: { resetUrl: `${publicUrl}/reset-password#tok` },
  request_fulfilled: { requestName: "API key", dashboardUrl: `${publicUrl}/app` },
  password_changed: { changedAt: at },
  signup_attempt: { attemptedAt: at },
  email_code: { code: "042917", expiresAt: at },
  recovery_code_used: { usedAt: at, remaining: 9 },
  second_factor_reset: { resetAt: at },
  totp_enabled: { enabledAt: at },
  passkey_added: { addedAt: at },
  token_created: { name: "CI deploy", scope: "full", createdAt: at, expiresAt: null },
};

describe("mail templates", () => {
  it("names the recipient whose own link was viewed (F14 receipts)", () => {
    const mail = renderMail(
      "share_viewed",
      { ...samples.share_viewed, recipient: "ana@example.com" },
      { publicUrl },
    );
    expect(mail.text).toContain("The link you sent to ana@example.com for your secret");
    expect(mail.text).toContain("203.0.113.9");
  });

  it("gives an external recipient the code in the body only, with no link (issue 19)", () => {
    const mail = renderMail("email_code", samples.email_code, { publicUrl });
    expect(mail.subject).not.toContain("042917");
    expect(mail.text).toContain("Your code: 042917");
    expect(mail.text).toContain("until 2030-01-02 13:45 UTC");
    expect(mail.text).toContain("You still need the password");
    expect(mail.html).not.toContain("href=");
  });

  it.each(Object.keys(samples) as MailKind[])(
    "%s has a subject, a text and an HTML part",
    (kind) => {
      const mail = renderMail(kind, samples[kind], { publicUrl });
      expect(mail.subject.length).toBeGreaterThan(5);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).toContain("Hushlink shares secrets through links that expire");
      expect(mail.html).toContain("Hushlink shares secrets through links that expire");
      expect(mail.html).toMatch(/^<!doctype html>/);
      // Nothing fetched from elsewhere: no images, no stylesheets, no scripts.
      expect(mail.html).not.toMatch(/<img|<script|<link|src=|url\(/i);
    },
  );

  it("shows the organization, the expiry and that a link works once", () => {
    const mail = renderMail("share_delivery", samples.share_delivery, { publicUrl });
    expect(mail.subject).toBe("Someone shared a secret with you on Hushlink");
    expect(mail.text).toContain("Someone named “Ada” of the organization “Acme” shared a secret");
    expect(mail.text).toContain("expires on 2030-01-02 13:45 UTC");
    expect(mail.text).toContain("It works once");
    expect(mail.text).toContain(`${publicUrl}/s#abc`);
    expect(mail.html).toContain(`href="${publicUrl}/s#abc"`);
    expect(mail.text).toContain("for the organization “Acme”.");
    const unlimited = renderMail(
      "share_delivery",
      { ...samples.share_delivery, maxViews: null },
      {
        publicUrl,
      },
    );
    expect(unlimited.text).toContain("any number of times until then");
  });

  it("says plainly when a password is needed, and never hedges (issue 25, defect 7)", () => {
    const protectedMail = renderMail(
      "share_delivery",
      { ...samples.share_delivery, passwordProtected: true },
      { publicUrl },
    );
    expect(protectedMail.text).toContain("You also need a password to open it.");
    expect(protectedMail.text).toContain("It is not in this e-mail");
    expect(protectedMail.html).toContain("You also need a password to open it.");
    const open = renderMail(
      "share_delivery",
      { ...samples.share_delivery, passwordProtected: false },
      { publicUrl },
    );
    for (const mail of [protectedMail, open]) {
      expect(mail.text).not.toMatch(/If the secret is protected by a password/);
    }
    expect(open.text).not.toMatch(/password/i);
  });

  it("escapes every value in the HTML part", () => {
    const hostile = `<script>alert("x")</script>&'`;
    const mail = renderMail(
      "invitation",
      { orgName: hostile, inviterName: hostile, acceptUrl: `${publicUrl}/invitations/a?b=1&c=2` },
      { publicUrl },
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    expect(mail.html).toContain(`href="${publicUrl}/invitations/a?b=1&amp;c=2"`);
    // The text part is plain text: values appear as they are.
    expect(mail.text).toContain(hostile);
  });

  it("keeps the subject on one line even if a line break got past the schemas", () => {
    const mail = renderMail(
      "invitation",
      { orgName: "Acme\r\nBcc: evil@example.com", acceptUrl: `${publicUrl}/invitations/t` },
      { publicUrl },
    );
    expect(mail.subject).toBe("Someone invited you to join an organization on Hushlink");
    expect(headerSafe("a\u2028b\tc\u0000d")).toBe("a b c d");
    expect(headerSafe("x".repeat(300))).toHaveLength(200);
  });

  it("says when the password was changed, with no link in either part", () => {
    const mail = renderMail("password_changed", samples.password_changed, { publicUrl });
    expect(mail.subject).toBe("Your Hushlink password was changed");
    expect(mail.text).toContain("was changed on 2030-01-02 13:45 UTC");
    expect(mail.text).toContain("Forgot your password?");
    for (const part of [mail.text, mail.html]) expect(part).not.toMatch(/https?:|www\./i);
    expect(mail.html).not.toMatch(/<a\b|href=/i);
    // Nothing else can ride along: the schema takes the time and nothing more.
    const schema = mailDataSchemas(publicUrl).password_changed;
    expect(schema.safeParse({ changedAt: at, resetUrl: `${publicUrl}/x` }).success).toBe(false);
  });

  it("tells the owner of an address that someone tried to sign up with it, with no link", () => {
    const mail = renderMail("signup_attempt", samples.signup_attempt, { publicUrl });
    expect(mail.subject).toBe("Someone tried to sign up for Hushlink with your address");
    expect(mail.text).toContain("On 2030-01-02 13:45 UTC someone tried");
    expect(mail.text).toContain("sign in with your password");
    expect(mail.text).toContain("Forgot your password?");
    for (const part of [mail.text, mail.html]) expect(part).not.toMatch(/https?:|www\./i);
    expect(mail.html).not.toMatch(/<a\b|href=/i);
  });

  it("keeps attacker-worded names out of subjects, quoted, with nothing a mail client would link", () => {
    const lure = "Security Team: your mailbox is full — verify now at http://evil.test/login";
    for (const [kind, data] of [
      ["invitation", { orgName: lure, inviterName: lure, acceptUrl: `${publicUrl}/invitations/t` }],
      ["share_delivery", { ...samples.share_delivery, orgName: lure, senderName: lure }],
    ] as const) {
      const mail = renderMail(kind, data as never, { publicUrl });
      expect(mail.subject).not.toMatch(/Security|evil|mailbox/i);
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain(
          "“Security Team: your mailbox is full — verify now at http[:]//evil[.]test/login”",
        );
        expect(part).not.toContain("http://evil");
        expect(part).not.toContain("evil.test");
        expect(part).toContain("Names in quotes were typed by the sender");
      }
      // The only link is the server's own.
      expect(mail.html.match(/href="([^"]+)"/g)).toHaveLength(1);
    }
  });

  it("keeps a share's or request's name out of the subject of the mail to its own author too", () => {
    const lure = "Security Team: your mailbox is full";
    const viewed = renderMail(
      "share_viewed",
      { ...samples.share_viewed, shareName: lure },
      {
        publicUrl,
      },
    );
    const answered = renderMail(
      "request_fulfilled",
      { ...samples.request_fulfilled, requestName: lure },
      { publicUrl },
    );
    expect(viewed.subject).toBe("Your secret was viewed");
    expect(answered.subject).toBe("Your secret request was answered");
    // The body still names it, in quotes, for the author to recognise.
    expect(viewed.text).toContain(`“${lure}”`);
    expect(answered.text).toContain(`“${lure}”`);
  });

  it("escapes the five HTML characters and formats times in UTC", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
    expect(formatTime(at)).toBe("2030-01-02 13:45 UTC");
  });

  it("the schemas accept the samples (ISO times too)", () => {
    const schemas = mailDataSchemas(publicUrl);
    for (const kind of Object.keys(samples) as MailKind[]) {
      expect(schemas[kind].safeParse(samples[kind]).success).toBe(true);
    }
    const parsed = schemas.share_delivery.parse({
      linkUrl: `${publicUrl}/s#abc`,
      expiresAt: new Date(at).toISOString(),
    });
    expect(parsed.expiresAt).toBe(at);
  });
});
