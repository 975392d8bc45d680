import { afterAll, describe, expect, it } from "vitest";

import { activateLocale } from "../../i18n/i18n";
import type { SharingPolicy } from "./api";
import { policyNotes } from "./apply";

const open: SharingPolicy = {
  maxExpiresIn: null,
  maxViews: null,
  maxFileBytes: null,
  requirePassword: false,
  allowAnyoneWithLink: true,
  allowExternalRecipients: true,
  requireEmailCodes: false,
  allowFiles: true,
  allowAnyoneRequests: true,
};

describe("policyNotes", () => {
  afterAll(() => activateLocale("en"));

  it("says the same English as before it was translated (issue 22)", async () => {
    await activateLocale("en");
    expect(policyNotes({ ...open, maxExpiresIn: 3600, maxViews: 1 })).toEqual([
      "Links last at most 1 hour.",
      "At most 1 view per link.",
    ]);
    expect(
      policyNotes({ ...open, maxExpiresIn: 7 * 86400, maxViews: 3, allowFiles: false }),
    ).toEqual(["Links last at most 7 days.", "At most 3 views per link.", "No files."]);
    expect(policyNotes({ ...open, maxExpiresIn: 90 * 60 })).toEqual([
      "Links last at most 90 minutes.",
    ]);
  });

  it("counts with each language's plural forms", async () => {
    await activateLocale("pl");
    expect(policyNotes({ ...open, maxExpiresIn: 2 * 86400, maxViews: 5 })).toEqual([
      "Maksymalny czas ważności linków: 2 dni.",
      "Najwyżej 5 wyświetleń na link.",
    ]);
    await activateLocale("ar");
    expect(policyNotes({ ...open, maxViews: 2 })).toEqual(["مشاهدتان كحد أقصى لكل رابط."]);
    await activateLocale("ja");
    expect(policyNotes({ ...open, maxViews: 3, requirePassword: true })).toEqual([
      "閲覧はリンクごとに最大 3 回です。",
      "すべてのシークレットにパスワードが必要です。",
    ]);
  });
});
