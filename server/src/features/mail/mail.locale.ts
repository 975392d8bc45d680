/**
 * Which language a mail goes out in (SPEC F17), decided once, when it is queued: the language of
 * the person it is for when known (an account's choice), otherwise that of the person who caused
 * it (the sender of a share, the admin who invited), otherwise the organization's default,
 * otherwise English. A tag this version does not speak counts as none.
 */
import { DEFAULT_LOCALE, isSupportedLocale, type SupportedLocale } from "@hushlink/protocol";

export interface MailLanguages {
  /** The language of the account the mail is for (its address), if any. */
  recipient: string | null;
  /** The language of the account whose action made the mail go out, if any. */
  causedBy: string | null;
  /** The organization's default language, if any. */
  org: string | null;
}

export function chooseMailLocale(languages: MailLanguages): SupportedLocale {
  for (const candidate of [languages.recipient, languages.causedBy, languages.org]) {
    if (isSupportedLocale(candidate)) return candidate;
  }
  return DEFAULT_LOCALE;
}
