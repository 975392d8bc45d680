import { afterAll, describe, expect, it } from "vitest";

import { activateLocale } from "../../i18n/i18n";
import { ApiError } from "../../lib/api";
import { addressProblem, people, refusedRecipient, splitAddresses } from "./recipients";

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

describe("refusedRecipient", () => {
  const sent = ["ann@example.com", "eve@ex\u0430mple.com"];
  const serverWords = "body.recipientLinks.1.email: has a domain that mixes scripts in one label";

  it("names the chip a confusable_domain's field points at, in the page's own words", () => {
    for (const field of ["body.recipientLinks.1.email", "body.recipients.1"]) {
      const refused = refusedRecipient(
        new ApiError(400, "confusable_domain", serverWords, { field }),
        sent,
      );
      expect(refused?.email).toBe(sent[1]);
      expect(refused?.message).toMatch(/^An address's domain mixes alphabets/);
    }
  });

  it("keeps recipient_not_member's address and leaves other errors to the form", () => {
    const notMember = new ApiError(400, "recipient_not_member", "x is not a member", {
      email: "x@example.com",
    });
    expect(refusedRecipient(notMember, sent)).toEqual({
      message: "x is not a member",
      email: "x@example.com",
    });
    const elsewhere = new ApiError(400, "confusable_domain", "", { field: "body.name" });
    expect(refusedRecipient(elsewhere, sent)).toBeNull();
    expect(refusedRecipient(new ApiError(400, "invalid_request", ""), sent)).toBeNull();
  });
});
