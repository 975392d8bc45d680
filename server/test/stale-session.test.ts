/**
 * A session cookie that no longer resolves (signed out, revoked by a password change elsewhere,
 * idle past its limit) on a create (black-box finding, session 28): the share was made as an
 * anonymous one while its author believed it was in their dashboard. Such a create answers 401
 * `login_required`, stores nothing and clears the cookies, so the same browser can then create
 * without an account on purpose; any API answer that finds the cookie stale clears it too. Over
 * real HTTP with a browser-like cookie jar (helpers/live.ts).
 */
import { request as httpRequest } from "node:http";

import { createRequestKeys } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { SESSION_IDLE_MS } from "../src/features/auth/auth.context.js";
import { GOOD_PASSWORD } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, loginLive, signupLive, type LiveClient } from "./helpers/live.js";

/**
 * A POST sent now with `browser`'s cookies whose body is held back until `finish()`: the server
 * has looked at the cookie (on the headers) long before it answers. `finish` sends the body and
 * gives the answer's Set-Cookie to the jar, as a browser takes a late answer's.
 */
function slowPost(browser: LiveClient, path: string) {
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  const body = "{}";
  const sent = httpRequest(`${browser.base}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", "content-length": body.length },
  });
  const answered = new Promise<number>((resolve, reject) => {
    sent.on("error", reject);
    sent.on("response", (res) => {
      browser.keep(res.headers["set-cookie"] ?? []);
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
  });
  sent.flushHeaders();
  return {
    finish: async () => {
      sent.end(body);
      return answered;
    },
  };
}
import { listeningApp } from "./helpers/suite.js";

describe.each(testDialects)("a stale session cookie on %s", (dialect) => {
  const live = listeningApp(dialect);

  /** A browser whose hl_session named a session that has ended, in each way one ends. */
  const staleBrowsers: Record<string, () => Promise<LiveClient>> = {
    "signed out in another tab": async () => {
      const tab = await signupLive(live.base);
      const other = tab.clone();
      expect((await other.post("/api/v1/auth/logout")).status).toBe(204);
      return tab;
    },
    "revoked by a password change on another device": async () => {
      const device = await signupLive(live.base);
      const elsewhere = await loginLive(live.base, device.email);
      const changed = await elsewhere.post("/api/v1/auth/password", {
        currentPassword: GOOD_PASSWORD,
        newPassword: "quartz-meadow-harbour-77",
      });
      expect(changed.status, changed.text).toBe(204);
      return device;
    },
    "idle past its limit": async () => {
      const browser = await signupLive(live.base);
      live.t.clock.advance(SESSION_IDLE_MS + 1000);
      return browser;
    },
  };

  it.each(Object.keys(staleBrowsers))(
    "%s: a create answers 401 login_required, stores nothing and clears the cookie",
    async (how) => {
      const browser = await staleBrowsers[how]!();
      expect(browser.cookies.has("hl_session")).toBe(true);
      const share = await buildShare();
      const refused = await browser.post("/api/v1/shares", share.body);
      expect(refused.status, refused.text).toBe(401);
      expect(errorCodeOf(refused)).toBe("login_required");
      // The jar drops cookies a Set-Cookie expires: the answer cleared both.
      expect(browser.cookies.has("hl_session")).toBe(false);
      expect(browser.cookies.has("hl_csrf")).toBe(false);
      expect((await browser.get(`/api/v1/shares/${share.body.id}`)).status).toBe(404);

      // Without the stale cookie the same browser creates without an account, on purpose.
      const anonymous = await browser.post("/api/v1/shares", share.body);
      expect(anonymous.status, anonymous.text).toBe(201);
      expect(anonymous.body.manageToken).toEqual(expect.any(String));
    },
  );

  it("an end-to-end request is refused the same way, and nothing is stored", async () => {
    const browser = await staleBrowsers["signed out in another tab"]!();
    const keys = await createRequestKeys();
    const refused = await browser.post("/api/v1/requests", { ...keys.body, expiresIn: 600 });
    expect(refused.status, refused.text).toBe(401);
    expect(errorCodeOf(refused)).toBe("login_required");
    expect(browser.cookies.has("hl_session")).toBe(false);
    const anonymous = await browser.post("/api/v1/requests", { ...keys.body, expiresIn: 600 });
    expect(anonymous.status, anonymous.text).toBe(201);
    expect(anonymous.body.manageToken).toEqual(expect.any(String));
  });

  it("GET /api/v1/auth/me with a stale cookie answers 401 and clears it", async () => {
    const browser = await staleBrowsers["signed out in another tab"]!();
    const me = await browser.get("/api/v1/auth/me");
    expect(me.status).toBe(401);
    expect(browser.cookies.has("hl_session")).toBe(false);
    expect(browser.cookies.has("hl_csrf")).toBe(false);
  });

  it("a late answer to a request sent with the stale cookie leaves a newer sign-in alone", async () => {
    // Tab A's request leaves with the ended session's cookie; tab B signs in meanwhile (one jar,
    // as one browser has); A's answer arrives last. Clearing on it signed the user out again.
    const browser = await staleBrowsers["signed out in another tab"]!();
    const late = slowPost(browser, "/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA/reveal");
    const signedIn = await browser.post("/api/v1/auth/login", {
      email: browser.email,
      password: GOOD_PASSWORD,
    });
    expect(signedIn.status, signedIn.text).toBe(200);
    const fresh = browser.cookies.get("hl_session");
    expect(await late.finish()).toBeGreaterThanOrEqual(400); // Refused, but answered.
    expect(browser.cookies.get("hl_session")).toBe(fresh);
    expect((await browser.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("a live session and a bearer token decide as before", async () => {
    const browser = await signupLive(live.base);
    const mine = await browser.post("/api/v1/shares", (await buildShare()).body);
    expect(mine.status, mine.text).toBe(201);
    expect(mine.body.manageToken).toBeUndefined();
    expect(browser.cookies.has("hl_session")).toBe(true);

    // A token beside a stale cookie: the token decides, as the account's share.
    const token = await browser.post<{ token: string }>("/api/v1/tokens", { name: "ci" });
    expect(token.status, token.text).toBe(201);
    const stale = await staleBrowsers["signed out in another tab"]!();
    const share = await buildShare();
    const viaToken = await stale.post("/api/v1/shares", share.body, {
      headers: { authorization: `Bearer ${token.body.token}` },
    });
    expect(viaToken.status, viaToken.text).toBe(201);
    expect(viaToken.body.manageToken).toBeUndefined();
  });
});
