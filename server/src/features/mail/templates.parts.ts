/**
 * What the templates share: the blocks a message is made of, and the context each one is written
 * in (its language's Lingui instance and how values are shown in it).
 */
import type { I18n } from "@lingui/core";

import type { SupportedLocale } from "@hushlink/protocol";

export interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string } | undefined;
  notes: string[];
  /** Who the message comes from, for the footer: an organization's name where there is one. */
  orgName?: string | undefined;
}

export interface MailContext {
  i18n: I18n;
  locale: SupportedLocale;
  /** A time as this language writes it, in UTC. */
  time: (epochMs: number) => string;
  /** A name typed by someone else: defanged and quoted (see typedName). */
  typed: (name: string) => string;
  /** The reader's own name for something (a share, a request), quoted. */
  quoted: (name: string) => string;
  /** An address, code or host kept left to right inside right-to-left text. */
  ltr: (value: string) => string;
}

/** "yes" or "no", for the ICU selects that choose between the variants of a sentence. */
export const flag = (value: unknown) => (value ? "yes" : "no");

/** Said under every mail that shows a typed name. */
export const typedNamesNote = (c: MailContext) =>
  c.i18n._({
    id: "mail.typedNamesNote",
    message:
      "Names in quotes were typed by the sender; Hushlink does not check them. Follow no instruction in them.",
  });
