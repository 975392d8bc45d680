/**
 * E-mails in the reader's language (SPEC F17, issue 22), read from a real SMTP server: the
 * language of the person a mail is for when known, else of the person who caused it, else the
 * organization's default, else English; the links inside stay exactly as the server made them.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { seal } from "@hushlink/protocol";

import {
  GOOD_PASSWORD,
  login,
  memberOf,
  newOrg,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM, type ReceivedMail } from "./helpers/smtp.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";
import { createShare } from "./helpers/http.js";

describe.each(testDialects)("mail languages on %s", (dialect) => {
  const { t, smtp } = liveSuite(dialect, { MAIL_FROM: TEST_MAIL_FROM }, { clock: clockPerTest() });
  let sender: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin: sender, orgId } = await newOrg(t, uniqueEmail("lena"), "Léna"));
    await t.services.mail.runOnce(); // the sign-up mails
  });

  const setLocale = async (c: Client, locale: string | null) => {
    const res = await c.inject({ method: "PATCH", url: "/api/v1/auth/me", payload: { locale } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const setOrgLocale = async (id: string, admin: Client, defaultLocale: string | null) => {
    const res = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${id}/branding`,
      payload: { defaultLocale },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** The newest mail to `address` (a member also got the mail of their sign-up). */
  async function mailTo(address: string): Promise<ReceivedMail> {
    await t.services.mail.runOnce();
    const found = smtp.messages.filter((m) => m.envelopeTo.includes(address));
    expect(found.length, `mail to ${address}`).toBeGreaterThan(0);
    return found[found.length - 1]!;
  }

  /** Shares with an external address (password-protected, as external recipients require). */
  async function shareWith(c: Client, address: string) {
    const s = await seal("for the accountant", { password: "tulip-anchor-77", kdf: FAST_KDF });
    const res = await createShare(c, {
      ...s.body,
      expiresIn: 3600,
      recipients: [address],
      allowExternalRecipients: true,
      delivery: { linkSecret: s.linkSecret },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: s.body.id, link: `http://hushlink.test/s#${s.linkSecret}` };
  }

  const parts = (m: ReceivedMail) => ({
    subject: m.parsed.subject ?? "",
    text: m.parsed.text ?? "",
    html: typeof m.parsed.html === "string" ? m.parsed.html : "",
  });

  it("a share mailed to an external recipient goes out in its sender's language (French)", async () => {
    await setLocale(sender, "fr");
    const external = uniqueEmail("comptable");
    const { id, link } = await shareWith(sender, external);
    // Chosen when queued and kept with the entry, for the worker to render later.
    const queued = await t.database.db
      .selectFrom("mail_outbox")
      .select("locale")
      .where("share_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(queued.locale).toBe("fr");

    const { subject, text, html } = parts(await mailTo(external));
    expect(subject).toBe("Quelqu’un a partagé un secret avec vous sur Hushlink");
    // No-break spaces inside « » (4b34c46: French typography, as the catalog writes them).
    expect(text).toContain("Une personne nommée «\u00a0Léna\u00a0»");
    expect(text).toContain("a partagé un secret avec vous via Hushlink.");
    expect(text).toContain("Il vous faut aussi un mot de passe pour l’ouvrir.");
    expect(text).toMatch(/Le lien expire le \d{1,2} \S+ \d{4} à \d\d:\d\d UTC\./);
    expect(text).toContain("Ouvrir le secret\u00a0:\n" + link);
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(html).toContain("Ouvrir le secret</a>");
    expect(html).toContain(`href="${link}"`);
    expect(html).toContain(
      "Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur",
    );
    // Nothing of the English mail is left.
    for (const part of [subject, text, html])
      expect(part).not.toMatch(/shared a secret|expires on/);
    await setLocale(sender, null);
  });

  it("a password reset goes out in the account's own language (Polish), its link intact", async () => {
    const user = await signup(t, uniqueEmail("zofia"));
    await setLocale(user, "pl");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      payload: { email: user.email },
    });
    expect(res.statusCode).toBe(204);
    const { subject, text, html } = parts(await mailTo(user.email));
    expect(subject).toBe("Zresetuj hasło do Hushlink");
    expect(text).toContain(
      "Ktoś poprosił o zresetowanie hasła do konta Hushlink powiązanego z tym adresem.",
    );
    expect(text).toContain("Link działa tylko raz i wkrótce wygaśnie.");
    expect(html).toContain('<html lang="pl">');
    expect(html).toContain("Wybierz nowe hasło</a>");
    const link = /http:\/\/hushlink\.test\/reset-password#([A-Za-z0-9_-]+)/.exec(text);
    expect(link).not.toBeNull();
    expect(text).toContain(`Wybierz nowe hasło:\n${link![0]}`);
    expect(html).toContain(`href="${link![0]}"`);
    // The token works: the link was not touched by the translation.
    const confirm = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/password-reset/confirm",
      payload: { token: link![1], password: "copper-meadow-violin-77" },
    });
    expect(confirm.statusCode).toBe(204);
  });

  it("the organization's default applies when neither person's language is known (German)", async () => {
    const { admin, orgId: adminOrg } = await newOrg(t, uniqueEmail("anke"), "Anke");
    await setOrgLocale(adminOrg, admin, "de");
    const external = uniqueEmail("steuerberater");
    const { link } = await shareWith(admin, external);
    const { subject, text, html } = parts(await mailTo(external));
    expect(subject).toBe("Jemand hat auf Hushlink ein Geheimnis mit Ihnen geteilt");
    expect(text).toContain("Eine Person namens „Anke“ aus der Organisation „");
    expect(text).toContain("hat über Hushlink ein Geheimnis mit Ihnen geteilt.");
    expect(text).toContain(`Geheimnis öffnen:\n${link}`);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`href="${link}"`);

    // Also for a mail to a member of it who picked none, about their own account. (The helper's
    // sign-up made the member an organization of their own too; an invited sign-up does not.)
    const member = await memberOf(t, adminOrg, uniqueEmail("bernd"));
    await t.database.db
      .deleteFrom("memberships")
      .where("user_id", "=", await userIdOf(t, member.email))
      .where("org_id", "!=", adminOrg)
      .execute();
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      payload: { email: member.email },
    });
    expect(parts(await mailTo(member.email)).subject).toBe("Ihr Hushlink-Passwort zurücksetzen");
  });

  it("the recipient's own language comes before the sender's, and English is the last resort", async () => {
    await setLocale(sender, "fr");
    const colleague = await memberOf(t, orgId, uniqueEmail("kenji"));
    await setLocale(colleague, "ja");
    const s = await seal("for a colleague");
    const res = await createShare(sender, {
      ...s.body,
      expiresIn: 3600,
      recipients: [colleague.email],
      delivery: { linkSecret: s.linkSecret },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { subject, html } = parts(await mailTo(colleague.email));
    expect(subject).toBe("Hushlink でシークレットが共有されました");
    expect(html).toContain('<html lang="ja">');

    await setLocale(sender, null);
    const external = uniqueEmail("nobody");
    await shareWith(sender, external);
    const english = parts(await mailTo(external));
    expect(english.subject).toBe("Someone shared a secret with you on Hushlink");
    expect(english.html).toContain('<html lang="en">');
  });

  it("Arabic mail is right to left, its link left to right", async () => {
    const admin = await signup(t, uniqueEmail("amal"), "Amal");
    await setLocale(admin, "ar");
    const external = uniqueEmail("mohasib");
    const { link } = await shareWith(admin, external);
    const { text, html } = parts(await mailTo(external));
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<span dir="ltr" style="word-break:break-all">${link}</span>`);
    expect(text).toContain(`افتح السرّ:\n${link}\n`);
  });
  it("the confirmation of a sign-up in French is French, and so is its resend", async () => {
    // Nobody's language is known yet (the account is unconfirmed and has picked none): the
    // sign-up page's language is the new organization's, which the mail about the account uses.
    const address = uniqueEmail("marie");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: { email: address, password: GOOD_PASSWORD, name: "Marie", locale: "fr" },
    });
    expect(res.statusCode, res.body).toBe(202);
    const first = parts(await mailTo(address));
    expect(first.subject).toBe("Confirmez votre adresse e-mail pour Hushlink");
    expect(first.html).toMatch(/^<!doctype html>\n<html lang="fr">/);

    const marie = await login(t, address);
    const resend = await marie.inject({ method: "POST", url: "/api/v1/auth/verify-email/resend" });
    expect(resend.statusCode, resend.body).toBeLessThan(300);
    const again = parts(await mailTo(address));
    expect(again.subject).toBe("Confirmez votre adresse e-mail pour Hushlink");
    expect(smtp.messages.filter((m) => m.envelopeTo.includes(address))).toHaveLength(2);
  });

  it("a sign-up without a language keeps its confirmation in English", async () => {
    const address = uniqueEmail("ada");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: { email: address, password: GOOD_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(parts(await mailTo(address)).subject).toBe("Confirm your e-mail address for Hushlink");
  });
});
