import { LINK_SECRET_BYTES } from "./constants.js";
import { fromBase64Url } from "./encoding.js";

/** `{PUBLIC_URL}/s#{S}`: the secret only in the fragment, which browsers never send to a server. */
export function shareLink(publicUrl: string, linkSecret: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/s#${linkSecret}`;
}

export class InvalidLinkError extends Error {
  constructor(message = "This is not a Hushlink share link: it needs the part after '#'.") {
    super(message);
    this.name = "InvalidLinkError";
  }
}

/**
 * The link secret from a share link, a bare fragment (`#S`) or S itself.
 * Throws InvalidLinkError when there is none or it is not 32 bytes of base64url.
 */
export function linkSecretFrom(link: string): string {
  const trimmed = link.trim();
  const hash = trimmed.indexOf("#");
  const candidate = hash >= 0 ? trimmed.slice(hash + 1) : trimmed;
  try {
    if (fromBase64Url(candidate).length === LINK_SECRET_BYTES) return candidate;
  } catch {
    // fall through to the error below
  }
  throw new InvalidLinkError();
}

/** The origin a share link points at, e.g. to pick the server a CLI should talk to. */
export function serverFromLink(link: string): string | null {
  try {
    return new URL(link).origin;
  } catch {
    return null;
  }
}
