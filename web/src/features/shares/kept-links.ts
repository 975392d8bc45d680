/**
 * The recipient links this browser made (F14, issue 25 "resend a recipient's e-mail"): the server
 * keeps no link secret, so Resend and Retry send it again from here. Kept in localStorage, per
 * signed-in account, until the share expires, and forgotten when the link is revoked or the share
 * deleted (SPEC §3 "One link per recipient"). A kept secret alone opens nothing: a member's link
 * opens only for that member signed in, an external one only with the password.
 */

const PREFIX = "hushlink.recipient-links.";

interface KeptShare {
  expiresAt: string;
  /** Address (lower-cased) → that recipient's link secret. */
  links: Record<string, string>;
}
type Kept = Record<string, KeptShare>;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage switched off (privacy settings): nothing is kept, Resend says so.
    return null;
  }
}

function read(userId: string, now = Date.now()): Kept {
  const raw = storage()?.getItem(PREFIX + userId);
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const kept: Kept = {};
  for (const [shareId, value] of Object.entries(parsed as Record<string, unknown>)) {
    const share = value as Partial<KeptShare> | null;
    if (typeof share?.expiresAt !== "string" || typeof share.links !== "object") continue;
    // An expired share's links are of no use to anyone: dropped at the next read.
    if (Date.parse(share.expiresAt) <= now) continue;
    kept[shareId] = { expiresAt: share.expiresAt, links: { ...share.links } };
  }
  return kept;
}

function write(userId: string, kept: Kept): void {
  const store = storage();
  if (!store) return;
  try {
    if (Object.keys(kept).length === 0) store.removeItem(PREFIX + userId);
    else store.setItem(PREFIX + userId, JSON.stringify(kept));
  } catch {
    // Quota or storage off: Resend then says the link is not kept here.
  }
}

export function keepLinks(
  userId: string,
  shareId: string,
  expiresAt: string,
  links: { email: string; linkSecret: string }[],
): void {
  const kept = read(userId);
  kept[shareId] = {
    expiresAt,
    links: Object.fromEntries(links.map((l) => [l.email.toLowerCase(), l.linkSecret])),
  };
  write(userId, kept);
}

export function keptLink(userId: string, shareId: string, email: string): string | null {
  return read(userId)[shareId]?.links[email.toLowerCase()] ?? null;
}

/** Forgets one recipient's link, or with no `email` every link of the share. */
export function forgetLinks(userId: string, shareId: string, email?: string): void {
  const kept = read(userId);
  const share = kept[shareId];
  if (!share) return;
  if (email === undefined) delete kept[shareId];
  else {
    delete share.links[email.toLowerCase()];
    if (Object.keys(share.links).length === 0) delete kept[shareId];
  }
  write(userId, kept);
}
