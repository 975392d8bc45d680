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
    });
    expect(matchRoute("/r/", "")).toEqual({ page: "not-found" });
    expect(matchRoute("/r/a/b", "")).toEqual({ page: "not-found" });
  });

  it("sends anything else to the not-found page", () => {
    expect(matchRoute("/manage/", "t")).toEqual({ page: "not-found" });
    expect(matchRoute("/manage/a/b", "t")).toEqual({ page: "not-found" });
    expect(matchRoute("/login", "")).toEqual({ page: "not-found" });
  });
});
