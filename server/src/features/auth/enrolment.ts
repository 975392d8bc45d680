/**
 * Adding a second factor (SPEC F16, extension): each ceremony's first call needs a recent proof
 * of identity (recent-proof.ts), and its finishing call finds that proof carried by what the
 * first call made, so it needs nothing more. Removing a factor proves the password in
 * auth.service.ts.
 */
import type { PasskeyRegistrationCredential } from "@hushlink/protocol";

import type { PasskeysService } from "./passkeys.service.js";
import type { ProofCaller, RecentProof } from "./recent-proof.js";
import type { SecondFactorService } from "./second-factor.service.js";

/** Who adds a second factor, and what proves it is them. */
export interface FactorCaller extends ProofCaller {
  user: { id: string; email: string; name: string | null };
}

export function createEnrolment(deps: {
  proof: RecentProof;
  secondFactor: SecondFactorService;
  passkeys: PasskeysService;
}) {
  const { proof, secondFactor, passkeys } = deps;
  const { provenRecently, requireRecentProof } = proof;

  return {
    /** Starts an authenticator app's set-up, after a recent proof of identity. */
    async startTotp(caller: FactorCaller) {
      await requireRecentProof(caller);
      return secondFactor.startTotp(caller.user);
    },

    /**
     * Confirms the authenticator app. Its start needed a proof, so the unconfirmed secret carries
     * it for RECENT_SIGN_IN_MS after it was made; past that, the password or a recent sign-in.
     */
    async confirmTotp(caller: FactorCaller, code: string) {
      const proven = await provenRecently(caller);
      return secondFactor.confirmTotp(caller.user, code, { proven });
    },

    /** The options to add a passkey, after a recent proof of identity. */
    async passkeyOptions(caller: FactorCaller) {
      await requireRecentProof(caller);
      return passkeys.registrationOptions(caller.user);
    },

    /**
     * Adds the passkey. Its registration challenge is made only by the proven options call and
     * lives 5 minutes, so spending it carries the proof; a password given here is still checked.
     */
    async addPasskey(
      caller: FactorCaller,
      input: { name: string; credential: PasskeyRegistrationCredential },
    ) {
      await provenRecently(caller);
      return passkeys.add(caller.user, input);
    },
  };
}
