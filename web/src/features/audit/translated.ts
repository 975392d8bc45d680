import type { MessageDescriptor } from "@lingui/core";

import { i18n } from "../../i18n/i18n";

/**
 * A record of words read in the page's language at the moment they are read: every value is a
 * getter, so the tabs that index these records keep getting plain strings, and a change of
 * language shows at their next render (issue 22).
 */
export function translatedRecord<K extends string>(
  messages: Record<K, MessageDescriptor>,
): Record<K, string> {
  const record = {} as Record<K, string>;
  for (const key of Object.keys(messages) as K[]) {
    Object.defineProperty(record, key, {
      enumerable: true,
      get: () => i18n._(messages[key]),
    });
  }
  return record;
}
