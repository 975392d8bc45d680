/**
 * A new organization is named in the language of the sign-up (its page sends `locale`): "Marie's
 * organization" was English whatever the language the person signed up in. Over real HTTP, as
 * the web app signs up; an address at a company's domain is named after the domain in every
 * language, and a sign-up without `locale` (API clients, the CLI) keeps the English name.
 */
import { describe, expect, it } from "vitest";

import { uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, LiveClient, signupLive } from "./helpers/live.js";
import { listeningApp } from "./helpers/suite.js";

describe.each(testDialects)("the new organization's language on %s", (dialect) => {
  const live = listeningApp(dialect);

  const orgName = async (client: LiveClient) =>
    (await client.get<{ orgs: { name: string }[] }>("/api/v1/auth/me")).body.orgs[0]?.name;

  it("is French for a sign-up in French", async () => {
    const marie = await signupLive(live.base, uniqueEmail("marie"), {
      name: "Marie",
      locale: "fr",
    });
    expect(await orgName(marie)).toBe("Organisation de Marie");
  });

  it("is Japanese for a sign-up in Japanese", async () => {
    const yuki = await signupLive(live.base, uniqueEmail("yuki"), { name: "雪", locale: "ja" });
    expect(await orgName(yuki)).toBe("雪の組織");
  });

  it("is English without a locale, and a company's domain in any language", async () => {
    const ada = await signupLive(live.base, uniqueEmail("ada"), { name: "Ada" });
    expect(await orgName(ada)).toBe("Ada's organization");
    const domain = `org${process.pid}.acme-corp.com`;
    const jun = await signupLive(live.base, `jun.${Date.now()}@${domain}`, { locale: "ja" });
    expect(await orgName(jun)).toBe(domain);
  });

  it("refuses a language it does not speak with 400 invalid_request", async () => {
    const client = new LiveClient(live.base);
    const answer = await client.post("/api/v1/auth/signup", {
      email: uniqueEmail("klingon"),
      password: "plum-river-lantern-42",
      locale: "tlh",
    });
    expect(answer.status, answer.text).toBe(400);
    expect(errorCodeOf(answer)).toBe("invalid_request");
  });
});
