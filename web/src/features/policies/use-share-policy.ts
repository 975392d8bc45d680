import { useEffect } from "react";

import { selectedOrg, type Me } from "../../lib/session";
import type { PublicConfig } from "../shares/api";
import { expiryChoices } from "../shares/choices";
import type { LimitsValue } from "../shares/limits";
import type { SignedInChoices } from "../shares/components/SignedInOptions";
import type { SharingPolicy } from "./api";
import { policyNotes, withPolicy } from "./apply";
import { useOrgPolicy } from "./use-org-policy";

export interface SharePolicy {
  policy: SharingPolicy | null;
  /** The server's limits narrowed by the policy: what the form offers. */
  config: PublicConfig;
  /** The creator's choices as the policy leaves them (organization-only where it must be). */
  choices: SignedInChoices;
  passwordRequired: boolean;
  notes: string[];
}

/**
 * The sharing policy of the organization the share is made in, applied to the share form: the
 * form offers only what the server would accept and says why the rest is missing (SPEC F16).
 * The server enforces the policy on its own; this only spares the creator a refusal.
 */
export function useSharePolicy(
  me: Me | null,
  config: PublicConfig,
  choices: SignedInChoices,
  limits: { value: LimitsValue; set: (next: LimitsValue) => void },
): SharePolicy {
  const orgId = me ? (choices.orgId ?? selectedOrg(me)?.id ?? null) : null;
  const policy = useOrgPolicy(orgId);
  const narrowed = withPolicy(config, policy);

  // A preset longer than the policy allows is not offered; pick the longest that is.
  const { value, set } = limits;
  const longest = expiryChoices(narrowed).at(-1)?.seconds;
  useEffect(() => {
    if (typeof value.expiry === "number" && longest !== undefined && value.expiry > longest) {
      set({ ...value, expiry: longest });
    }
  }, [value, set, longest]);

  const mustLimit = policy !== null && !policy.allowAnyoneWithLink;
  const noExternal = policy !== null && !policy.allowExternalRecipients;
  return {
    policy,
    config: narrowed,
    choices: {
      ...choices,
      access: mustLimit ? "organization" : choices.access,
      allowExternal: mustLimit || noExternal ? false : choices.allowExternal,
      requireEmailCode: (policy?.requireEmailCodes ?? false) || choices.requireEmailCode,
    },
    passwordRequired: policy?.requirePassword ?? false,
    notes: policyNotes(policy),
  };
}
