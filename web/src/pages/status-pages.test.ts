/**
 * Pages that are one message render the markup of StatusPage (components/StatusPage.tsx), which
 * the styles and the page screenshots expect: a section with one heading, the text, and at most
 * one way on. The dashboard's own load failure also says why, to screen readers at once, and
 * offers Try again.
 */
import { I18nProvider } from "@lingui/react";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { i18n } from "../i18n/i18n";
import { SessionProvider } from "../lib/session";
import { AppPage } from "./App/AppPage";
import { NotFoundPage } from "./NotFoundPage/NotFoundPage";

const render = (page: ReactElement) =>
  renderToStaticMarkup(createElement(I18nProvider, { i18n }, page));

describe("pages that are one message", () => {
  it("an address with no page", () => {
    expect(render(createElement(NotFoundPage))).toBe(
      '<div class="card"><section class="stack status-page" aria-labelledby="page-missing-heading">' +
        '<h1 id="page-missing-heading" class="page-title">Page not found</h1>' +
        '<p class="lead">There is nothing at this address.</p>' +
        '<p><a class="button button--secondary" href="/">Share a secret</a></p></section></div>',
    );
  });

  it("the dashboard when the account could not be loaded", () => {
    const page = (message: string | null) =>
      render(
        createElement(SessionProvider, {
          initial: { status: "unknown", message },
          children: createElement(AppPage, { path: "/app" }),
        }),
      );
    expect(page(null)).toBe(
      '<div class="card"><section class="stack status-page">' +
        '<h1 class="page-title">The dashboard could not be loaded</h1>' +
        '<p class="lead" role="alert">Your account could not be loaded.</p>' +
        '<p><button type="button" class="button button--secondary">Try again</button></p>' +
        "</section></div>",
    );
    expect(page("The server is busy.")).toContain(
      '<p class="lead" role="alert">The server is busy.</p>',
    );
  });
});
