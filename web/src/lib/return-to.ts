/**
 * Coming back after signing in (SPEC §3: no open redirects). `/login?next=<path>` names where
 * to go; only a path on this origin is accepted. Links carry their keys in the fragment, which
 * must never travel in a query, so the full address (fragment included) is kept in this tab's
 * sessionStorage for the round trip only, and is used when its path matches `next`.
 */

const KEY = "hushlink.return";
/** A remembered address older than this is stale (the sign-in was abandoned). */
const TTL_MS = 30 * 60 * 1000;
const AUTH_PAGES = new Set(["/login", "/signup", "/forgot-password", "/reset-password"]);

interface Remembered {
  url: string;
  email?: string;
  at: number;
}

/**
 * `value` as a path on this origin ("/app", "/s#…", "/invitations/x?y"), or null for anything
 * else: absolute and protocol-relative URLs, backslashes and control characters (which URL
 * parsers turn into "//"), and the sign-in pages themselves.
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || !value.startsWith("/") || value.startsWith("//")) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, window.location.origin);
  } catch {
    return null;
  }
  if (url.origin !== window.location.origin) return null;
  if (AUTH_PAGES.has(url.pathname.replace(/\/+$/, ""))) return null;
  return url.pathname + url.search + url.hash;
}

const withoutHash = (path: string) => path.split("#", 1)[0] ?? path;

function read(): Remembered | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Remembered>;
    if (typeof value.url !== "string" || typeof value.at !== "number") return null;
    if (Date.now() - value.at > TTL_MS) return null;
    const url = safeReturnPath(value.url);
    if (!url) return null;
    return {
      url,
      at: value.at,
      ...(typeof value.email === "string" ? { email: value.email } : {}),
    };
  } catch {
    return null;
  }
}

export function forgetReturn(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage off: nothing was kept.
  }
}

/**
 * The sign-in (or sign-up) address that comes back to `url`. The query gets the path and
 * search only; with `remember`, the whole `url` (fragment included) and an e-mail address to
 * prefill stay in sessionStorage until the return.
 */
export function signInHref(
  url: string,
  options: { page?: "login" | "signup"; remember?: boolean; email?: string } = {},
): string {
  const safe = safeReturnPath(url);
  const page = options.page ?? "login";
  if (!safe) return `/${page}`;
  if (options.remember || options.email) {
    try {
      const value: Remembered = {
        url: safe,
        at: Date.now(),
        ...(options.email ? { email: options.email } : {}),
      };
      window.sessionStorage.setItem(KEY, JSON.stringify(value));
    } catch {
      // Storage off: the return loses its fragment; the page then says the link is incomplete.
    }
  }
  return `/${page}?next=${encodeURIComponent(withoutHash(safe))}`;
}

/** Where the sign-in page sends someone once signed in (and forgets the remembered address). */
export function returnTarget(next: string | null, fallback = "/app"): string {
  const remembered = read();
  forgetReturn();
  const safeNext = safeReturnPath(next);
  if (remembered && safeNext !== null && withoutHash(safeNext) === withoutHash(remembered.url)) {
    return remembered.url;
  }
  return safeNext ?? fallback;
}

/** The e-mail address to prefill on the sign-in pages (an invitation's address), if any. */
export function rememberedEmail(): string | undefined {
  return read()?.email;
}

/** The `next` parameter of the current address, for links between the sign-in pages. */
export function currentNext(): string | null {
  return safeReturnPath(new URLSearchParams(window.location.search).get("next"));
}
