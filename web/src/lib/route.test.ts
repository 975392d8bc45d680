import { describe, expect, it } from "vitest";

import { matchRoute, type Route } from "./route";

const ID = "jr2fQhSsxqh4ppeIOCTYNQ";

/** [path, fragment, query, the route it maps to]: rows that differ only in their values. */
type Row = [string, string, string | undefined, Route];

const cases: Record<string, Row[]> = {
  "maps the share, view and manage pages": [
    ["/", "", undefined, { page: "share" }],
    ["/s", "abc", undefined, { page: "view", fragment: "abc" }],
    ["/s/", "abc", undefined, { page: "view", fragment: "abc" }],
    [`/manage/${ID}`, "token", undefined, { page: "manage", id: ID, manageToken: "token" }],
  ],
  "maps a secret request's page": [
    [`/r/${ID}`, "", undefined, { page: "request", id: ID, fragment: "" }],
    ["/r/", "", undefined, { page: "not-found" }],
    ["/r/a/b", "", undefined, { page: "not-found" }],
  ],
  "maps end-to-end request links: the fingerprint, the reading link, the public form": [
    [`/r/${ID}`, "fp", undefined, { page: "request", id: ID, fragment: "fp" }],
    [`/r/${ID}/open/`, "R", undefined, { page: "open-request", id: ID, fragment: "R" }],
    [`/r/${ID}/open/x`, "R", undefined, { page: "not-found" }],
    ["/request", "", undefined, { page: "new-request" }],
  ],
  "sends anything else to the not-found page": [
    ["/manage/", "t", undefined, { page: "not-found" }],
    ["/manage/a/b", "t", undefined, { page: "not-found" }],
    ["/invitations/", "", undefined, { page: "not-found" }],
    ["/application", "", undefined, { page: "not-found" }],
  ],
  "maps the account pages, with tokens from the query or the fragment": [
    ["/login", "", undefined, { page: "login" }],
    ["/signup/", "", undefined, { page: "signup" }],
    ["/forgot-password", "", undefined, { page: "forgot-password" }],
    ["/verify-email", "", "?token=abc", { page: "verify-email", token: "abc" }],
    ["/verify-email", "", undefined, { page: "verify-email", token: "" }],
    // main.tsx moves the mail's ?token=… into the fragment, where reloads find it again.
    ["/verify-email", "abc", undefined, { page: "verify-email", token: "abc" }],
    ["/reset-password", "tok", undefined, { page: "reset-password", token: "tok" }],
    ["/invitations/Ab_-9", "", undefined, { page: "invitation", token: "Ab_-9" }],
  ],
  "sends every /app path to the dashboard, which matches its tabs": [
    ["/app", "", undefined, { page: "app", path: "/app" }],
    ["/app/members/", "", undefined, { page: "app", path: "/app/members" }],
    ["/app/nope", "", undefined, { page: "app", path: "/app/nope" }],
  ],
};

describe("matchRoute", () => {
  for (const [what, rows] of Object.entries(cases)) {
    describe(what, () => {
      it.each(rows)("%s, fragment %j, query %j", (path, fragment, search, route) => {
        expect(matchRoute(path, fragment, search)).toEqual(route);
      });
    });
  }
});
