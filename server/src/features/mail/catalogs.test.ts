/**
 * The e-mails' catalogs (SPEC F17): every language has every message of the English source and
 * nothing else, each translated; the compiled modules the server loads are those catalogs
 * compiled (a .po edited without `lingui compile` fails here); and every kind of mail, in every
 * variant, renders in every language without a missing message or a placeholder left over.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { compileMessage } from "@lingui/message-utils/compileMessage";
import { describe, expect, it } from "vitest";

import { SUPPORTED_LOCALES } from "@hushlink/protocol";

import { mailI18n } from "./mail.i18n.js";
import type { MailData, MailKind } from "./mail.schemas.js";
import { renderMail } from "./templates.js";

const LOCALES_DIR = join(import.meta.dirname, "locales");

/** msgid → msgstr of a catalog as `lingui extract` writes it (one line each, no plural forms). */
function readPo(locale: string): Map<string, string> {
  const text = readFileSync(join(LOCALES_DIR, `${locale}.po`), "utf8");
  const entries = new Map<string, string>();
  const unquote = (s: string) => JSON.parse(s) as string;
  for (const match of text.matchAll(/^msgid ("(?:[^"\\]|\\.)*")\nmsgstr ("(?:[^"\\]|\\.)*")$/gm)) {
    const id = unquote(match[1]!);
    if (id !== "") entries.set(id, unquote(match[2]!));
  }
  return entries;
}

const english = readPo("en");

describe("mail catalogs", () => {
  it("the English source has the messages", () => {
    expect(english.size).toBeGreaterThan(60);
    for (const [id, text] of english) expect(text, id).not.toBe("");
  });

  it.each(SUPPORTED_LOCALES.filter((l) => l !== "en"))(
    "%s translates every message and no other",
    (locale) => {
      const catalog = readPo(locale);
      expect([...catalog.keys()].sort()).toEqual([...english.keys()].sort());
      const untranslated = [...catalog].filter(([, text]) => text.trim() === "").map(([id]) => id);
      expect(untranslated).toEqual([]);
      // The same placeholders as the source: a value dropped or renamed would vanish from the mail.
      const names = (s: string) => [...new Set(s.match(/\{[A-Za-z]\w*(?=[,}])/g) ?? [])].sort();
      for (const [id, text] of catalog)
        expect(names(text), `${locale} ${id}`).toEqual(names(english.get(id)!));
    },
  );

  it.each(SUPPORTED_LOCALES)("%s: the compiled module is the catalog compiled", (locale) => {
    const compiled = mailI18n(locale).messages;
    const catalog = readPo(locale);
    expect(Object.keys(compiled).sort()).toEqual([...catalog.keys()].sort());
    for (const [id, text] of catalog)
      expect(compiled[id], `${locale} ${id}`).toEqual(compileMessage(text));
  });
});

const publicUrl = "https://secrets.example.com";
const at = Date.UTC(2030, 0, 2, 13, 45);

/** Every kind, with each of the variants its sentences choose between. */
const variants: { [K in MailKind]: MailData[K][] } = {
  share_delivery: [
    { linkUrl: `${publicUrl}/s#abc`, orgName: "Acme", senderName: "Ada", expiresAt: at },
    { linkUrl: `${publicUrl}/s#abc`, senderName: "Ada", expiresAt: at, maxViews: 3 },
    { linkUrl: `${publicUrl}/s#abc`, orgName: "Acme", expiresAt: at, maxViews: null },
    { linkUrl: `${publicUrl}/s#abc`, expiresAt: at, maxViews: 25, passwordProtected: true },
  ],
  share_viewed: [
    { shareName: "db", recipient: "ana@example.com", viewedAt: at, ip: "203.0.113.9" },
    { viewedAt: at, dashboardUrl: `${publicUrl}/app` },
  ],
  invitation: [
    { orgName: "Acme", inviterName: "Ada", acceptUrl: `${publicUrl}/invitations/tok` },
    { orgName: "Acme", acceptUrl: `${publicUrl}/invitations/tok` },
  ],
  verify_email: [{ verifyUrl: `${publicUrl}/verify-email#tok` }],
  password_reset: [{ resetUrl: `${publicUrl}/reset-password#tok` }],
  request_fulfilled: [
    { requestName: "API key", dashboardUrl: `${publicUrl}/app` },
    { dashboardUrl: `${publicUrl}/app` },
  ],
  password_changed: [{ changedAt: at }],
  signup_attempt: [{ attemptedAt: at }],
  email_code: [{ code: "042917", expiresAt: at }],
  recovery_code_used: [
    { usedAt: at, remaining: 0 },
    { usedAt: at, remaining: 1 },
    { usedAt: at, remaining: 2 },
    { usedAt: at, remaining: 5 },
    { usedAt: at, remaining: 11 },
  ],
  second_factor_reset: [{ resetAt: at }],
  totp_enabled: [{ enabledAt: at }],
  passkey_added: [{ addedAt: at }],
  token_created: [
    { name: "CI deploy", scope: "read", createdAt: at, expiresAt: at },
    { name: "CI deploy", scope: "shares", createdAt: at, expiresAt: null },
    { name: "CI deploy", scope: "full", createdAt: at, expiresAt: null },
  ],
};

describe.each(SUPPORTED_LOCALES)("mails in %s", (locale) => {
  it("render every kind and variant with every message found and every value placed", () => {
    const missing: string[] = [];
    const stop = mailI18n(locale).on("missing", (event) => missing.push(event.id));
    try {
      for (const kind of Object.keys(variants) as MailKind[]) {
        for (const data of variants[kind]) {
          const mail = renderMail(kind, data as never, { publicUrl, locale });
          const inEnglish = renderMail(kind, data as never, { publicUrl });
          for (const part of [mail.subject, mail.text, mail.html]) {
            expect(part, `${kind} ${part}`).not.toMatch(/mail\.[a-zA-Z]+\.|\{|\}/);
          }
          if (locale !== "en") expect(mail.subject, kind).not.toBe(inEnglish.subject);
          expect(mail.html).toContain(`<html lang="${locale}"`);
          for (const url of mail.html.match(/href="[^"]+"/g) ?? [])
            expect(inEnglish.html, kind).toContain(url);
        }
      }
    } finally {
      stop();
    }
    expect(missing).toEqual([]);
  });
});

describe("right to left", () => {
  it("Arabic mail sets dir and lang, and keeps codes, addresses and hosts left to right", () => {
    const code = renderMail("email_code", variants.email_code[0]!, { publicUrl, locale: "ar" });
    expect(code.html).toContain('<html lang="ar" dir="rtl">');
    expect(code.html).toContain('<span dir="ltr">042917</span>');
    expect(code.html).toContain('<span dir="ltr">secrets.example.com</span>');
    // The text part isolates them with U+2066 … U+2069, which mail clients render in order.
    expect(code.text).toContain("\u2066042917\u2069");
    const viewed = renderMail("share_viewed", variants.share_viewed[0]!, {
      publicUrl,
      locale: "ar",
    });
    expect(viewed.html).toContain('<span dir="ltr">ana@example.com</span>');
    expect(viewed.html).toContain('<span dir="ltr">203.0.113.9</span>');
    // Left-to-right languages carry none of it.
    const french = renderMail("email_code", variants.email_code[0]!, { publicUrl, locale: "fr" });
    expect(french.html).not.toMatch(/dir=/);
    expect(french.text).not.toMatch(/[\u2066-\u2069]/);
  });

  it("a typed name cannot bring isolates of its own to unbalance the markup", () => {
    const mail = renderMail(
      "invitation",
      { orgName: "Acme\u2069</span>\u2066", acceptUrl: `${publicUrl}/invitations/t` },
      { publicUrl, locale: "ar" },
    );
    const count = (pattern: RegExp) => mail.html.match(pattern)?.length ?? 0;
    expect(count(/<span\b/g)).toBe(count(/<\/span>/g));
    expect(mail.html).toContain("&lt;/span&gt;");
  });
});
