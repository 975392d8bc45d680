import { Trans, useLingui } from "@lingui/react/macro";

import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { useFormState } from "../../../lib/use-form-state";
import { accountsApi } from "../api";
import { accountErrorMessage } from "../errors";
import { passkeyBrowserError, passkeysSupported, signWithPasskey } from "../passkeys";
import { BusyButton } from "../../../components/BusyButton";

/**
 * Signing in with a passkey (F16): no address, no password; the browser offers the passkeys it
 * holds for this site, and the one chosen (unlocked with a fingerprint, face or PIN) signs in.
 */
export function PasskeySignIn({ onDone }: { onDone: () => void }) {
  const { t } = useLingui();
  const { busy, error, start, run, setError } = useFormState(accountErrorMessage);

  async function signIn() {
    if (!start()) return;
    if (!passkeysSupported()) return setError(t`This browser or device does not support passkeys.`);
    await run(
      async () => {
        const options = await accountsApi.passkeySignInOptions();
        await accountsApi.signInWithPasskey(await signWithPasskey(options));
        onDone();
      },
      {
        failure: (caught) =>
          passkeyBrowserError(caught, false) ??
          (isApiError(caught, "passkey_rejected")
            ? t`That passkey is not one this server knows, or it was removed. Sign in with your password.`
            : accountErrorMessage(caught)),
        leaving: true,
      },
    );
  }

  return (
    <div className="stack stack--tight" aria-busy={busy}>
      {/* "Use a passkey", not "Sign in with …": the page's one "Sign in" button keeps its name. */}
      <p className="field__hint">
        <Trans>Or sign in with a passkey: no address or password needed.</Trans>
      </p>
      <BusyButton
        className="button button--secondary button--block"
        busy={busy}
        onClick={() => void signIn()}
      >
        {busy ? <Trans>Waiting for your passkey…</Trans> : <Trans>Use a passkey</Trans>}
      </BusyButton>
      {error && (
        <Notice tone="danger" role="alert">
          {error}
        </Notice>
      )}
    </div>
  );
}
