import { Trans } from "@lingui/react/macro";
import { useLingui } from "@lingui/react";
import { useId } from "react";

import { activateLocale, rememberLocale } from "../i18n/i18n";
import { isLocale, type Locale } from "../i18n/locales";
import { LocaleOptions } from "./LocaleOptions";
import { saveAccountLocale } from "../i18n/account-locale";
import { useMe } from "../lib/session";

/**
 * The language of every page, in the footer: each language listed in its own words (and marked
 * with its `lang`, so screen readers say it right). Remembered in this browser, and on the
 * account when someone is signed in.
 */
export function LocalePicker() {
  const { i18n } = useLingui();
  const me = useMe();
  const id = useId();

  function choose(locale: Locale) {
    rememberLocale(locale);
    void activateLocale(locale);
    if (me) saveAccountLocale(locale);
  }

  return (
    <div className="locale-picker">
      <label htmlFor={id}>
        <Trans>Language</Trans>
      </label>
      <select
        id={id}
        value={i18n.locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) choose(event.target.value);
        }}
      >
        <LocaleOptions />
      </select>
    </div>
  );
}
