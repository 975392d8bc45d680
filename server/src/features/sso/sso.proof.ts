/**
 * Which changes to an organization's single sign-on need a recent proof of identity
 * (recent-proof.ts; docs/SPEC.md, "SSO settings: recent proof"): those a stolen admin session
 * could use to take sign-in over or open it up. Sending sign-ins to another provider (issuer,
 * client id or secret: whoever runs the provider then signs in as anyone at the domains), or
 * letting passwords back in where SSO was required (the requirement off, SSO off while it was
 * required, a domain dropped from it, a new break-glass admin). Tightening (the requirement on,
 * SSO on with the provider already set, a break-glass admin removed) and new domains (pending
 * claims route nothing until their DNS proof) need none: they take nothing from anyone.
 */
import type { SsoSettingsBody } from "@hushlink/protocol";

/** The stored settings the body is compared with; null before any were saved. */
export interface CurrentSso {
  enabled: boolean;
  issuer: string;
  clientId: string;
  requireSso: boolean;
  domains: readonly string[];
  breakGlassUserIds: readonly string[];
}

export function ssoChangeNeedsProof(current: CurrentSso | null, body: SsoSettingsBody): boolean {
  if (current === null) return true;
  if (body.issuer.trim() !== current.issuer || body.clientId !== current.clientId) return true;
  if (body.clientSecret !== undefined) return true;
  const required = current.enabled && current.requireSso;
  if (required && !(body.enabled && body.requireSso === true)) return true;
  if (required && current.domains.some((d) => !body.domains.includes(d))) return true;
  return (body.breakGlassUserIds ?? []).some((id) => !current.breakGlassUserIds.includes(id));
}
