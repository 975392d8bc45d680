/**
 * Links carry their keys in the URL fragment. The page takes it out of the address bar at once
 * (so it does not linger in the URL bar, screenshots or history) but keeps it in this tab's
 * sessionStorage, so that a reload or Back still opens the link. The kept key is forgotten when
 * the page is done with it (`forgetFragment`: a secret revealed, a password reset) and when the
 * tab loads any other page (leaving). A fresh navigation to the bare path starts clean.
 */

const KEY = "hushlink.fragment";

interface Kept {
  path: string;
  /** The fragment, or null once the page used it up (a revealed secret). */
  fragment: string | null;
}

const normalised = (pathname: string) => pathname.replace(/\/+$/, "") || "/";

function read(): Kept | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Kept>;
    if (typeof value.path !== "string") return null;
    return {
      path: value.path,
      fragment: typeof value.fragment === "string" ? value.fragment : null,
    };
  } catch {
    return null;
  }
}

function write(value: Kept | null): void {
  try {
    if (value) window.sessionStorage.setItem(KEY, JSON.stringify(value));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage off: a reload then finds no key, and the page says so.
  }
}

/** A reload or a move through history comes back to the same link; anything else is new. */
function isReturn(): boolean {
  const entry = window.performance?.getEntriesByType?.("navigation")[0] as
    PerformanceNavigationTiming | undefined;
  return entry?.type === "reload" || entry?.type === "back_forward";
}

/**
 * Links whose key arrives in the query instead (the verification mail's `?token=…`): moves it
 * into the fragment, so that `takeFragment` keeps it and clears the address bar like any other.
 */
export function queryKeyToFragment(path: string, name: string): void {
  const { pathname, search } = window.location;
  if (normalised(pathname) !== path) return;
  const key = new URLSearchParams(search).get(name);
  if (key) window.history.replaceState(window.history.state, "", `${pathname}#${key}`);
}

/**
 * The fragment for the current page: taken from the address bar (and kept), or, on a reload or
 * Back, the one kept for this path; "" when there is none. Call on load and on every `hashchange`.
 */
export function takeFragment(): string {
  const { hash, pathname, search } = window.location;
  const path = normalised(pathname);
  if (hash) window.history.replaceState(window.history.state, "", pathname + search);
  const fromAddress = hash.slice(1);
  if (fromAddress) {
    write({ path, fragment: fromAddress });
    return fromAddress;
  }
  const kept = read();
  if (kept?.path === path && isReturn()) return kept.fragment ?? "";
  // Another page, or a fresh visit to this one: whatever was kept belongs to a page left behind.
  write(null);
  return "";
}

/** True when this tab already used up the link of this page (a revealed secret) and reloaded. */
export function usedUpHere(): boolean {
  const kept = read();
  return kept?.path === normalised(window.location.pathname) && kept.fragment === null;
}

/**
 * Forgets the kept fragment of the current page (the link did its job). A reload then says the
 * link was used up in this tab rather than that it is broken.
 */
export function forgetFragment(): void {
  write({ path: normalised(window.location.pathname), fragment: null });
}
