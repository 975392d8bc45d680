/**
 * What a sharing policy allows (SPEC F16). Pure rules, no I/O: the service loads the policy and
 * asks these about the create in hand, so the checks are the same for every client.
 */
import type { Access, PolicyRule, SharingPolicy } from "@hushlink/protocol";

/** What a share create asks for, in the terms the rules speak. */
export interface ShareFacts {
  expiresIn: number;
  /** Per link; null is unlimited. */
  maxViews: number | null;
  /** Every link of the share has a password. */
  passwordProtected: boolean;
  access: Access;
  /** Only the named members may open it (recipients without external addresses). */
  restrictedToRecipients: boolean;
  allowExternalRecipients: boolean;
  /** Recipients outside the organization who would open it without an e-mailed code. */
  externalWithoutCodes: boolean;
  /** Total declared size of the files, or null without files. */
  fileBytes: number | null;
}

export interface Violation {
  rule: PolicyRule;
  message: string;
}

const DAY = 86_400;

function duration(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  return `${Math.round(seconds / 60)} minutes`;
}

/** The first rule the share breaks, in the order the share form shows them; null if none. */
export function shareViolation(policy: SharingPolicy, share: ShareFacts): Violation | null {
  if (policy.maxExpiresIn !== null && share.expiresIn > policy.maxExpiresIn) {
    return {
      rule: "maxExpiresIn",
      message: `Your organization's policy allows shares to live at most ${duration(policy.maxExpiresIn)}.`,
    };
  }
  if (policy.maxViews !== null && (share.maxViews === null || share.maxViews > policy.maxViews)) {
    return {
      rule: "maxViews",
      message: `Your organization's policy allows at most ${policy.maxViews} view${policy.maxViews === 1 ? "" : "s"} per link.`,
    };
  }
  if (policy.requirePassword && !share.passwordProtected) {
    return {
      rule: "requirePassword",
      message: "Your organization's policy requires a password on every share.",
    };
  }
  if (!policy.allowExternalRecipients && share.allowExternalRecipients) {
    return {
      rule: "allowExternalRecipients",
      message: "Your organization's policy does not allow sending shares outside the organization.",
    };
  }
  if (policy.requireEmailCodes && share.externalWithoutCodes) {
    return {
      rule: "requireEmailCodes",
      message:
        "Your organization's policy requires an e-mailed code for recipients outside the organization: give each recipient a link of their own with codes on.",
    };
  }
  if (!policy.allowAnyoneWithLink && share.access === "anyone" && !share.restrictedToRecipients) {
    return {
      rule: "allowAnyoneWithLink",
      message:
        "Your organization's policy does not allow shares that anyone with the link can open: limit it to the organization or to named members.",
    };
  }
  if (share.fileBytes !== null) return filesViolation(policy, share.fileBytes);
  return null;
}

/** The file rules, for a share's files and for the files of an answer to a request. */
export function filesViolation(policy: SharingPolicy, fileBytes: number): Violation | null {
  if (!policy.allowFiles) {
    return { rule: "allowFiles", message: "Your organization's policy does not allow files." };
  }
  if (policy.maxFileBytes !== null && fileBytes > policy.maxFileBytes) {
    return {
      rule: "maxFileBytes",
      message: `Your organization's policy allows files of at most ${policy.maxFileBytes} bytes in all (encrypted).`,
    };
  }
  return null;
}

export function requestViolation(
  policy: SharingPolicy,
  request: { access: Access },
): Violation | null {
  if (!policy.allowAnyoneRequests && request.access === "anyone") {
    return {
      rule: "allowAnyoneRequests",
      message:
        "Your organization's policy allows only requests that members of the organization answer.",
    };
  }
  return null;
}
