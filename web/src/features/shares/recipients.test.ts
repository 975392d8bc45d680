import { afterAll, describe, expect, it } from "vitest";

import { activateLocale } from "../../i18n/i18n";
import { addressProblem, people, splitAddresses } from "./recipients";

describe("addressProblem", () => {
  it("accepts plain addresses", () => {
    expect(addressProblem("alice@example.com")).toBeNull();
    expect(addressProblem("a.b+tag@sub.example.co.uk")).toBeNull();
  });

  it("refuses display names, spaces, line breaks, two @ and overlong addresses", () => {
    expect(addressProblem("Eve <eve@x.com>")).toMatch(/without a name/);
    expect(addressProblem('"Eve" eve@x.com')).toMatch(/without a name/);
    expect(addressProblem("eve @x.com")).not.toBeNull();
    expect(addressProblem("eve@x.com\r\nBcc: a@b.c")).not.toBeNull();
    expect(addressProblem("a@b@c.com")).not.toBeNull();
    expect(addressProblem("alice")).not.toBeNull();
    expect(addressProblem("alice@localhost")).not.toBeNull();
    expect(addressProblem(`${"a".repeat(250)}@x.com`)).toMatch(/254/);
  });
});

describe("splitAddresses", () => {
  it("splits at commas, semicolons and white space", () => {
    expect(splitAddresses(" a@x.com, b@y.org;c@z.net\n")).toEqual([
      "a@x.com",
      "b@y.org",
      "c@z.net",
    ]);
  });
});

it("people", () => {
  expect(people(1)).toBe("1 person");
  expect(people(2)).toBe("2 people");
});

describe("in the page's language (issue 22)", () => {
  afterAll(() => activateLocale("en"));

  it("says why an address is refused, and counts people, with each language's forms", async () => {
    await activateLocale("de", ["share-signed-in"]);
    expect(addressProblem("alice")).toBe("„alice“ ist keine E-Mail-Adresse.");
    expect(people(2)).toBe("2 Personen");
    await activateLocale("pl", ["share-signed-in"]);
    expect(people(2)).toBe("2 osoby");
    expect(people(5)).toBe("5 osób");
    await activateLocale("ar", ["share-signed-in"]);
    expect(addressProblem(`${"a".repeat(250)}@x.com`)).toBe("هذا العنوان أطول من 254 حرفًا.");
  });
});
