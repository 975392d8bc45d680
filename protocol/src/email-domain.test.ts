import { describe, expect, it } from "vitest";

import { canonicalDomain, labelKeepsToOneScript, punycodeOf } from "./email-domain.js";
import { AccountEmail, Email, EmailDomain, RecipientEmail } from "./schemas/common.js";

describe("the rule for e-mail domains", () => {
  it("keeps plain ASCII domains exactly as they came", () => {
    for (const domain of ["example.com", "a-b.example.co.uk", "example.test.", "1.2.3.4"]) {
      expect(canonicalDomain(domain)).toEqual({ ok: true, domain, ascii: domain });
    }
  });

  it("gives an IDN and its punycode one spelling, Unicode, with the ASCII form beside it", () => {
    const bucher = { ok: true, domain: "bücher.example", ascii: "xn--bcher-kva.example" };
    expect(canonicalDomain("bücher.example")).toEqual(bucher);
    expect(canonicalDomain("xn--bcher-kva.example")).toEqual(bucher);
    expect(canonicalDomain("XN--BCHER-KVA.example")).toEqual(bucher);
    // IDNA's mapping: full-width letters, and a precomposed ü from u + combining diaeresis.
    expect(canonicalDomain("ｂücher.example")).toEqual(bucher);
    expect(canonicalDomain("bu\u0308cher.example")).toEqual(bucher);
  });

  it("accepts whole-script domains: Cyrillic, Greek, Japanese, Chinese, Korean, Arabic", () => {
    for (const domain of [
      "пример.рф",
      "ελλάδα.gr",
      "ドメイン名例.jp",
      "例え.jp",
      "中国互联网络信息中心.中国",
      "한국인터넷정보센터.kr",
      "مثال.example",
      // Latin with kanji and kana, as Japanese names are written (UTS #39 allows it).
      "ソニーsony.jp",
    ]) {
      expect(canonicalDomain(domain), domain).toMatchObject({ ok: true, domain });
    }
  });

  it("refuses a label that mixes scripts, in Unicode or in punycode", () => {
    for (const domain of [
      "exаmple.com", // Cyrillic а
      "αpple.com", // Greek alpha
      "paypaӏ.com", // Cyrillic palochka
      "gооgle.com",
      "пример-test.рф", // Cyrillic and Latin in one label
      "shop.bаnk.example", // the mixed label need not be the first
      "xn--exmple-4nf.com", // the first one's punycode
      "한국中国ひらがな.example", // Hangul with kana
    ]) {
      expect(canonicalDomain(domain), domain).toEqual({ ok: false, reason: "mixed_scripts" });
    }
  });

  it("refuses what IDNA refuses, and what is not a whole domain", () => {
    for (const domain of [
      "xn--zz.com",
      "bü.ex/ample",
      "bü.example:80",
      "bü@x.example",
      "１.２.３.４",
      "bü..example",
    ]) {
      expect(canonicalDomain(domain), domain).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("judges each label by UTS #39's highly restrictive level", () => {
    expect(labelKeepsToOneScript("example")).toBe(true);
    expect(labelKeepsToOneScript("bücher-2")).toBe(true);
    expect(labelKeepsToOneScript("exаmple")).toBe(false);
    expect(labelKeepsToOneScript("中文abc")).toBe(true); // Latin + Han (+ Bopomofo set)
    expect(labelKeepsToOneScript("ꭰꭱ")).toBe(false); // Cherokee: not a recommended script
  });

  it("shows a non-ASCII domain's punycode, and nothing for an ASCII one", () => {
    expect(punycodeOf("bob@bücher.example")).toBe("xn--bcher-kva.example");
    expect(punycodeOf("bob@example.com")).toBeNull();
    expect(punycodeOf("bob@xn--bcher-kva.example")).toBeNull();
  });
});

describe("the address schemas", () => {
  it("put the domain in its one spelling, the local part as before", () => {
    for (const schema of [Email, RecipientEmail, AccountEmail]) {
      expect(schema.parse("Bob@Bücher.Example")).toBe("bob@bücher.example");
      expect(schema.parse("bob@xn--bcher-kva.example")).toBe("bob@bücher.example");
      expect(schema.parse("bob@example.com")).toBe("bob@example.com");
    }
    expect(EmailDomain.parse("XN--BCHER-KVA.example")).toBe("bücher.example");
    expect(EmailDomain.parse("example.com")).toBe("example.com");
  });

  it("refuse a lookalike with the confusable_domain code where addresses are stored", () => {
    for (const schema of [RecipientEmail, AccountEmail]) {
      const result = schema.safeParse("bob@exаmple.com");
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ params: { code: "confusable_domain" } });
    }
    expect(EmailDomain.safeParse("exаmple.com").error?.issues[0]).toMatchObject({
      params: { code: "confusable_domain" },
    });
    expect(RecipientEmail.safeParse("bob@xn--zz.com").success).toBe(false);
  });

  it("let sign-in take a lookalike as typed, so no account made before is locked out", () => {
    expect(Email.parse("bob@exаmple.com")).toBe("bob@exаmple.com");
  });
});
