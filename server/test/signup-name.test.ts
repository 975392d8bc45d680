/**
 * The optional name given at sign-up is trimmed; one of spaces only is no name at all (black-box
 * finding, session 29): it was stored as "", so the Account tab showed an empty name instead of
 * "Not set", and a passkey's display name was empty instead of the address.
 */
import { describe, expect, it } from "vitest";

import { signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

describe.each(testDialects)("the name given at sign-up on %s", (dialect) => {
  const t = suiteApp(dialect);
  const nameOf = async (c: Client) =>
    json<{ user: { name: string | null } }>(await c.inject({ url: "/api/v1/auth/me" })).user.name;

  it("is trimmed, and spaces only are no name", async () => {
    expect(await nameOf(await signup(t, uniqueEmail(), "  Ann Lee  "))).toBe("Ann Lee");
    expect(await nameOf(await signup(t, uniqueEmail(), "   "))).toBeNull();
  });
});
