import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { CheckField } from "./CheckField";

const render = (props: Partial<Parameters<typeof CheckField>[0]> = {}) =>
  renderToStaticMarkup(
    createElement(CheckField, {
      id: "f-notify",
      label: "E-mail me",
      checked: false,
      onChange: () => undefined,
      ...props,
    }),
  );

describe("CheckField", () => {
  it("labels the input and, with a hint, describes it by the hint", () => {
    const html = render({ hint: "Each time", checked: true, disabled: true });
    expect(html).toContain('<label class="check__label" for="f-notify">E-mail me</label>');
    expect(html).toContain('<p class="check__hint" id="f-notify-hint">Each time</p>');
    expect(html).toMatch(/<input id="f-notify" class="check__input" type="checkbox"[^>]*>/);
    expect(html).toMatch(/aria-describedby="f-notify-hint"/);
    expect(html).toMatch(/ checked=""/);
    expect(html).toMatch(/ disabled=""/);
  });

  it("without a hint has no hint and points at none", () => {
    const html = render();
    expect(html).not.toContain("check__hint");
    expect(html).not.toContain("aria-describedby");
    expect(html).not.toContain("checked");
    expect(html).toMatch(/^<div class="check">/);
  });

  it("is a radio button of a group with a value, and takes more row classes", () => {
    const html = render({ type: "radio", name: "f-format", value: "slack", className: "extra" });
    expect(html).toMatch(/^<div class="check extra">/);
    expect(html).toMatch(/type="radio" name="f-format" value="slack"/);
  });
});
