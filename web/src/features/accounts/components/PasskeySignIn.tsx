import { useState } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { accountsApi } from "../api";
import { accountErrorMessage } from "../errors";
import { passkeyBrowserError, passkeysSupported, signWithPasskey } from "../passkeys";

/**
 * Signing in with a passkey (F16): no address, no password; the browser offers the passkeys it
 * holds for this site, and the one chosen (unlocked with a fingerprint, face or PIN) signs in.
 */
export function PasskeySignIn({ onDone }: { onDone: () => void }) {
  const { t } = useLingui();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn() {
    if (busy) return;
    setError(null);
    if (!passkeysSupported()) {
      setError(t`This browser or device does not support passkeys.`);
      return;
    }
    setBusy(true);
    try {
      const options = await accountsApi.passkeySignInOptions();
      await accountsApi.signInWithPasskey(await signWithPasskey(options));
      onDone();
    } catch (caught) {
      setBusy(false);
      setError(
        passkeyBrowserError(caught, false) ??
          (isApiError(caught, "passkey_rejected")
            ? t`That passkey is not one this server knows, or it was removed. Sign in with your password.`
            : accountErrorMessage(caught)),
      );
    }
  }

  return (
    <div className="stack stack--tight" aria-busy={busy}>
      {/* "Use a passkey", not "Sign in with …": the page's one "Sign in" button keeps its name. */}
      <p className="field__hint">
        <Trans>Or sign in with a passkey: no address or password needed.</Trans>
      </p>
      <button
        type="button"
        className="button button--secondary button--block"
        disabled={busy}
        onClick={() => void signIn()}
      >
        {busy ? <Trans>Waiting for your passkey…</Trans> : <Trans>Use a passkey</Trans>}
      </button>
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
    </div>
  );
}
