/**
 * Reads the URL fragment (where links carry their keys) and removes it from the address bar and
 * the session history at once, so it does not linger in the URL bar, screenshots or history.
 * Called once, before the first render.
 */
export function takeFragment(): string {
  const { hash, pathname, search } = window.location;
  if (!hash) return "";
  window.history.replaceState(window.history.state, "", pathname + search);
  return hash.slice(1);
}
