/**
 * The browser's side of passkeys (F16): @simplewebauthn/browser, loaded only when someone uses a
 * passkey so the first load stays within its budget, and words for what the browser refused.
 */
import type {
  PasskeyAssertion,
  PasskeyCreationOptions,
  PasskeyRegistrationCredential,
  PasskeyRequestOptions,
} from "@hushlink/protocol";
import { t } from "@lingui/core/macro";

const load = () => import("@simplewebauthn/browser");

/** Whether this browser can use passkeys at all (WebAuthn and a secure context). */
export const passkeysSupported = () =>
  typeof window !== "undefined" &&
  window.isSecureContext &&
  typeof window.PublicKeyCredential === "function";

/** Asks the browser to make a passkey for the server's options. */
export async function createPasskey(
  options: PasskeyCreationOptions,
): Promise<PasskeyRegistrationCredential> {
  const { startRegistration } = await load();
  const credential = await startRegistration({
    optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]["optionsJSON"],
  });
  return credential as unknown as PasskeyRegistrationCredential;
}

/** Asks the browser to sign the server's challenge with a passkey. */
export async function signWithPasskey(options: PasskeyRequestOptions): Promise<PasskeyAssertion> {
  const { startAuthentication } = await load();
  const credential = await startAuthentication({
    optionsJSON: options,
  });
  return credential as unknown as PasskeyAssertion;
}

/**
 * Words for a refusal of the browser or the authenticator (not of the server), or null when the
 * error is not one. The browser does not tell "cancelled" from "timed out" or "no passkey here".
 */
export function passkeyBrowserError(error: unknown, adding: boolean): string | null {
  if (!(error instanceof Error)) return null;
  const code = "code" in error ? String(error.code) : "";
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || error.name === "InvalidStateError")
    return t`This device already holds a passkey for your account. Use another device or security key.`;
  if (
    error.name === "NotAllowedError" ||
    code === "ERROR_CEREMONY_ABORTED" ||
    error.name === "AbortError"
  )
    return adding
      ? t`No passkey was made: the request was cancelled or timed out. Try again when you are ready.`
      : t`No passkey was used: the request was cancelled, timed out, or this device has no passkey for this site.`;
  if (
    error.name === "SecurityError" ||
    code === "ERROR_INVALID_DOMAIN" ||
    code === "ERROR_INVALID_RP_ID"
  )
    return t`This browser refuses passkeys for this address. Open Hushlink at its usual https:// address.`;
  if (error.name === "NotSupportedError" || !passkeysSupported())
    return t`This browser or device does not support passkeys.`;
  return null;
}
