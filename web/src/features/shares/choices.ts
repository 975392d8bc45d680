import { EXPIRY_CHOICES, VIEW_CHOICES } from "@hushlink/protocol/client";

import type { PublicConfig } from "./api";

export const DEFAULT_EXPIRES_IN = 24 * 60 * 60;
export const DEFAULT_MAX_VIEWS = 1;

/** The standard choices, minus any the server's configured limits would refuse. */
export function expiryChoices(config: PublicConfig | null) {
  const max = config?.maxExpiresIn ?? Infinity;
  return EXPIRY_CHOICES.filter((choice) => choice.seconds <= max);
}

/** `unlimited: false` where a sharing policy caps views (F16): then no share may be unlimited. */
export function viewChoices(config: PublicConfig | null, unlimited = true): (number | null)[] {
  const max = config?.maxViews ?? Infinity;
  return VIEW_CHOICES.filter((views) => (views === null ? unlimited : views <= max));
}
