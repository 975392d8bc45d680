import { describe, expect, it } from "vitest";

import { chooseMailLocale } from "./mail.locale.js";

describe("the language of a mail", () => {
  it("is the recipient's when known", () => {
    expect(chooseMailLocale({ recipient: "pl", causedBy: "fr", org: "de" })).toBe("pl");
  });

  it("is the language of whoever caused it when the recipient's is not known", () => {
    expect(chooseMailLocale({ recipient: null, causedBy: "fr", org: "de" })).toBe("fr");
  });

  it("is the organization's default when neither person's is known", () => {
    expect(chooseMailLocale({ recipient: null, causedBy: null, org: "zh-Hans" })).toBe("zh-Hans");
  });

  it("is English when nothing is known", () => {
    expect(chooseMailLocale({ recipient: null, causedBy: null, org: null })).toBe("en");
  });

  it("passes over a language this version does not speak", () => {
    expect(chooseMailLocale({ recipient: "tlh", causedBy: "pt", org: "ar" })).toBe("ar");
    expect(chooseMailLocale({ recipient: "", causedBy: "EN", org: "xx" })).toBe("en");
  });
});
