import { afterAll, describe, expect, it } from "vitest";

import { AuditEventType } from "@hushlink/protocol";

import { activateLocale } from "../../i18n/i18n";
import { EVENT_GROUPS, EVENT_LABEL } from "./event-types";

/**
 * The Audit tab's event filter and the Webhooks tab's picker offer EVENT_GROUPS: a type the
 * protocol has but no group takes could be neither filtered for nor subscribed to, and tsc does
 * not see a prefix missing from a group.
 */
describe("audit event types in words", () => {
  afterAll(() => activateLocale("en"));

  it("puts every type of the protocol in exactly one group", () => {
    const grouped = EVENT_GROUPS.flatMap((group) => group.types);
    expect([...grouped].sort()).toEqual([...AuditEventType.options].sort());
  });

  it("names the account's own second-factor changes, in the sign-in group", async () => {
    await activateLocale("en");
    const signIn = EVENT_GROUPS.find((group) => group.label === "Sign-in")!;
    const factorTypes = ["totp.enabled", "totp.disabled", "recovery_codes.regenerated"] as const;
    expect(signIn.types).toEqual(expect.arrayContaining([...factorTypes]));
    expect(factorTypes.map((type) => EVENT_LABEL[type])).toEqual([
      "Authenticator app set up",
      "Authenticator app turned off",
      "New recovery codes made",
    ]);
    await activateLocale("de");
    expect(factorTypes.map((type) => EVENT_LABEL[type])).toEqual([
      "Authenticator-App eingerichtet",
      "Authenticator-App ausgeschaltet",
      "Neue Wiederherstellungscodes erstellt",
    ]);
  });
});
