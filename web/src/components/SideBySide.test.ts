import { I18nProvider } from "@lingui/react";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, describe, expect, it } from "vitest";

import { Field } from "../features/accounts/components/Field";
import { FilesField } from "../features/files/components/FilesField";
import { NameField } from "../features/shares/components/NameField";
import { SharePasswordField } from "../features/shares/components/SharePasswordField";
import { activateLocale, i18n } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { Gap } from "./SideBySide";

/** The text a reader sees: the markup without its tags. */
const text = (element: ReactElement) =>
  renderToStaticMarkup(createElement(I18nProvider, { i18n }, element))
    .replace(/<[^>]*>/g, "")
    .replace(/&#x27;/g, "'");

const field = (label: string) =>
  createElement(Field, { label, optional: true, value: "", onChange: () => undefined });
const nameField = (label: string) =>
  createElement(NameField, {
    id: "f-name",
    label,
    value: "",
    onChange: () => undefined,
    placeholder: "",
    hint: "",
    readOnly: false,
  });
const passwordField = () =>
  createElement(SharePasswordField, {
    id: "f-password",
    value: "",
    onChange: () => undefined,
    required: false,
    external: false,
    error: null,
    inputRef: { current: null },
    readOnly: false,
  });
const filesField = () =>
  createElement(FilesField, {
    id: "f-files",
    files: [],
    onChange: () => undefined,
    limits: { maxFiles: 10, maxBytes: 1024 ** 3, signedIn: true },
    error: null,
    busy: false,
  });

const use = (locale: Locale) => activateLocale(locale, ["share", "account"]);

/**
 * Chinese and Japanese put no space between a label and "(optional)" or between two sentences;
 * a space written in the JSX showed "名称 （可选）" and "…1 GB。 在您的浏览器中…".
 */
describe("two messages in a row", () => {
  afterAll(() => activateLocale("en"));

  it("keep their space in English", async () => {
    await use("en");
    expect(text(field("Name"))).toBe("Name (optional)");
    expect(text(nameField("Name"))).toBe("Name (optional)");
    expect(text(passwordField())).toContain("Password (optional)");
    expect(text(filesField())).toContain("1 GB in total. Encrypted in your browser");
    expect(text(createElement(Gap))).toBe(" ");
  });

  it.each(["zh-Hans", "ja"] as const)("have no space between them in %s", async (locale) => {
    await use(locale);
    for (const element of [field("名称"), nameField("名称"), passwordField(), filesField()]) {
      const shown = text(element);
      expect(shown).not.toMatch(/ [（(]/);
      expect(shown).not.toMatch(/[。．] /);
    }
    expect(text(nameField("名称"))).toMatch(/^名称[（(]/);
    expect(text(createElement(Gap))).toBe("");
  });
});
