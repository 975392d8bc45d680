import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { Fact } from "./Fact";

describe("Fact", () => {
  it("renders the icon, the fact in bold and its detail, as the facts list styles them", () => {
    const html = renderToStaticMarkup(
      createElement(Fact, {
        icon: createElement("svg"),
        title: "Open until 5 May",
        detail: "Then",
      }),
    );
    expect(html).toBe(
      '<li class="facts__item"><svg></svg><span><strong>Open until 5 May</strong>' +
        '<span class="facts__detail">Then</span></span></li>',
    );
  });

  it("takes a test id and more classes on the detail", () => {
    const html = renderToStaticMarkup(
      createElement(Fact, {
        icon: null,
        title: "Sent",
        detail: "a@example.com",
        detailClassName: "ltr",
        testId: "sent-to",
      }),
    );
    expect(html).toContain('<li class="facts__item" data-testid="sent-to">');
    expect(html).toContain('<span class="facts__detail ltr">a@example.com</span>');
  });
});
