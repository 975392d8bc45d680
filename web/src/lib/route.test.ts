import { describe, expect, it } from "vitest";

import { matchRoute } from "./route";

describe("matchRoute", () => {
  it("maps the share, view and manage pages", () => {
    expect(matchRoute("/", "")).toEqual({ page: "share" });
    expect(matchRoute("/s", "abc")).toEqual({ page: "view", fragment: "abc" });
    expect(matchRoute("/s/", "abc")).toEqual({ page: "view", fragment: "abc" });
    expect(matchRoute("/manage/jr2fQhSsxqh4ppeIOCTYNQ", "token")).toEqual({
      page: "manage",
      id: "jr2fQhSsxqh4ppeIOCTYNQ",
      manageToken: "token",
    });
  });

  it("maps a secret request's page", () => {
    expect(matchRoute("/r/jr2fQhSsxqh4ppeIOCTYNQ", "")).toEqual({
      page: "request",
      id: "jr2fQhSsxqh4ppeIOCTYNQ",
      fragment: "",
    });
    expect(matchRoute("/r/", "")).toEqual({ page: "not-found" });
    expect(matchRoute("/r/a/b", "")).toEqual({ page: "not-found" });
  });

  it("maps end-to-end request links: the fingerprint, the reading link, the public form", () => {
    expect(matchRoute("/r/jr2fQhSsxqh4ppeIOCTYNQ", "fp")).toEqual({
      page: "request",
      id: "jr2fQhSsxqh4ppeIOCTYNQ",
      fragment: "fp",
    });
    expect(matchRoute("/r/jr2fQhSsxqh4ppeIOCTYNQ/open/", "R")).toEqual({
      page: "open-request",
      id: "jr2fQhSsxqh4ppeIOCTYNQ",
      fragment: "R",
    });
    expect(matchRoute("/r/jr2fQhSsxqh4ppeIOCTYNQ/open/x", "R")).toEqual({ page: "not-found" });
    expect(matchRoute("/request", "")).toEqual({ page: "new-request" });
  });

  it("sends anything else to the not-found page", () => {
    expect(matchRoute("/manage/", "t")).toEqual({ page: "not-found" });
    expect(matchRoute("/manage/a/b", "t")).toEqual({ page: "not-found" });
    expect(matchRoute("/invitations/", "")).toEqual({ page: "not-found" });
    expect(matchRoute("/application", "")).toEqual({ page: "not-found" });
  });

  it("maps the account pages, with tokens from the query or the fragment", () => {
    expect(matchRoute("/login", "")).toEqual({ page: "login" });
    expect(matchRoute("/signup/", "")).toEqual({ page: "signup" });
    expect(matchRoute("/forgot-password", "")).toEqual({ page: "forgot-password" });
    expect(matchRoute("/verify-email", "", "?token=abc")).toEqual({
      page: "verify-email",
      token: "abc",
    });
    expect(matchRoute("/verify-email", "")).toEqual({ page: "verify-email", token: "" });
    // main.tsx moves the mail's ?token=… into the fragment, where reloads find it again.
    expect(matchRoute("/verify-email", "abc")).toEqual({ page: "verify-email", token: "abc" });
    expect(matchRoute("/reset-password", "tok")).toEqual({ page: "reset-password", token: "tok" });
    expect(matchRoute("/invitations/Ab_-9", "")).toEqual({ page: "invitation", token: "Ab_-9" });
  });

  it("sends every /app path to the dashboard, which matches its tabs", () => {
    expect(matchRoute("/app", "")).toEqual({ page: "app", path: "/app" });
    expect(matchRoute("/app/members/", "")).toEqual({ page: "app", path: "/app/members" });
    expect(matchRoute("/app/nope", "")).toEqual({ page: "app", path: "/app/nope" });
  });
});
