/**
 * What a sharing policy means for the share form: the limits it narrows and the sentences that
 * say why a choice is missing. The server enforces the policy whatever the form does; the form
 * only avoids offering what would be refused.
 */
import { plural, t } from "@lingui/core/macro";

import type { PublicConfig } from "../shares/api";
import type { SharingPolicy } from "./api";

/** The server's limits, narrowed by the policy (expiry, views, files). */
export function withPolicy(config: PublicConfig, policy: SharingPolicy | null): PublicConfig {
  if (!policy) return config;
  return {
    ...config,
    maxExpiresIn: Math.min(config.maxExpiresIn, policy.maxExpiresIn ?? Infinity),
    maxViews: Math.min(config.maxViews, policy.maxViews ?? Infinity),
    ...(policy.allowFiles ? {} : { maxFiles: 0 }),
    // The policy counts encrypted bytes, a little more than the files' own size; the form's
    // check on the plaintext is a close approximation and the server has the last word.
    ...(policy.maxFileBytes === null || config.maxFileBytes === undefined
      ? {}
      : { maxFileBytes: Math.min(config.maxFileBytes, policy.maxFileBytes) }),
  };
}

function duration(seconds: number): string {
  const day = 86_400;
  const days = seconds / day;
  if (Number.isInteger(days)) return plural(days, { one: "# day", other: "# days" });
  const hours = seconds / 3600;
  if (Number.isInteger(hours)) return plural(hours, { one: "# hour", other: "# hours" });
  const minutes = Math.round(seconds / 60);
  return plural(minutes, { one: "# minute", other: "# minutes" });
}

/** One sentence per rule that limits the form, in the form's order; empty for an open policy. */
export function policyNotes(policy: SharingPolicy | null): string[] {
  if (!policy) return [];
  const notes: string[] = [];
  if (policy.maxExpiresIn !== null) {
    const longest = duration(policy.maxExpiresIn);
    notes.push(t`Links last at most ${longest}.`);
  }
  if (policy.maxViews !== null) {
    const views = policy.maxViews;
    notes.push(
      plural(views, { one: "At most # view per link.", other: "At most # views per link." }),
    );
  }
  if (policy.requirePassword) notes.push(t`Every secret needs a password.`);
  if (!policy.allowAnyoneWithLink) {
    notes.push(t`Secrets are for your organization or named members, not anyone with the link.`);
  }
  if (!policy.allowExternalRecipients) notes.push(t`No recipients outside the organization.`);
  else if (policy.requireEmailCodes) {
    notes.push(t`Recipients outside the organization confirm their address with an e-mailed code.`);
  }
  if (!policy.allowFiles) notes.push(t`No files.`);
  return notes;
}
