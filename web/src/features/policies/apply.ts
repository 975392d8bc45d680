/**
 * What a sharing policy means for the share form: the limits it narrows and the sentences that
 * say why a choice is missing. The server enforces the policy whatever the form does; the form
 * only avoids offering what would be refused.
 */
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
  if (seconds % day === 0) return seconds === day ? "1 day" : `${seconds / day} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}

/** One sentence per rule that limits the form, in the form's order; empty for an open policy. */
export function policyNotes(policy: SharingPolicy | null): string[] {
  if (!policy) return [];
  const notes: string[] = [];
  if (policy.maxExpiresIn !== null)
    notes.push(`Links last at most ${duration(policy.maxExpiresIn)}.`);
  if (policy.maxViews !== null) {
    notes.push(`At most ${policy.maxViews} view${policy.maxViews === 1 ? "" : "s"} per link.`);
  }
  if (policy.requirePassword) notes.push("Every secret needs a password.");
  if (!policy.allowAnyoneWithLink) {
    notes.push("Secrets are for your organization or named members, not anyone with the link.");
  }
  if (!policy.allowExternalRecipients) notes.push("No recipients outside the organization.");
  else if (policy.requireEmailCodes) {
    notes.push("Recipients outside the organization confirm their address with an e-mailed code.");
  }
  if (!policy.allowFiles) notes.push("No files.");
  return notes;
}
