import { afterAll, describe, expect, it } from "vitest";

import { activateLocale } from "../../i18n/i18n";
import { eventsSummary } from "../webhooks/format";
import { EVENT_GROUPS, EVENT_LABEL, eventLabel } from "./event-types";
import { personLabel, VIA_LABEL } from "./format";

/**
 * The Audit and Webhooks tabs index these records as plain strings; they must follow the page's
 * language at each read, not the one active when the module loaded (issue 22).
 */
describe("audit words follow the page's language", () => {
  afterAll(() => activateLocale("en"));

  it("reads English, then German, then Arabic from the same records", async () => {
    await activateLocale("en");
    expect(EVENT_LABEL["share.created"]).toBe("Share created");
    expect(EVENT_GROUPS[0]?.label).toBe("Shares");
    expect(eventLabel("webhook.test")).toBe("Test");
    expect(VIA_LABEL.passkey).toBe("with a passkey");
    expect(eventsSummary(["share.created", "share.deleted", "share.expired"], 30)).toBe(
      "Share created and 2 more",
    );
    expect(personLabel(new Map(), "0123456789abcdef")).toBe("User 01234567…");

    await activateLocale("de");
    expect(EVENT_LABEL["share.created"]).toBe("Freigabe erstellt");
    expect(EVENT_GROUPS[0]?.label).toBe("Freigaben");
    expect(eventsSummary(["share.created", "share.deleted"], 30)).toBe(
      "Freigabe erstellt und 1 weiteres",
    );

    await activateLocale("ar");
    expect(VIA_LABEL.passkey).toBe("بمفتاح مرور");
    expect(eventsSummary(["share.created", "share.deleted", "share.expired"], 30)).toBe(
      "أُنشئت مشاركة وحدثان آخران",
    );
  });

  it("lists every key of the record, as a plain object would", async () => {
    await activateLocale("en");
    expect(Object.keys(VIA_LABEL)).toEqual([
      "invitation",
      "invited_signup",
      "totp",
      "recovery_code",
      "passkey",
    ]);
  });
});
