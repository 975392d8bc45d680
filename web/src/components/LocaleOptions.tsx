import { LOCALES, NATIVE_NAMES } from "../i18n/locales";

/** The languages as a select's options, each in its own words and marked with its `lang`. */
export function LocaleOptions() {
  return LOCALES.map((locale) => (
    <option key={locale} value={locale} lang={locale}>
      {NATIVE_NAMES[locale]}
    </option>
  ));
}
