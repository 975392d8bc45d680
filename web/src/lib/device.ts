/**
 * A phone: a touch screen without hover whose shorter side is phone-sized. Tablets (744 px and
 * up) and touch laptops still get "scan to open on a phone", which makes sense there.
 */
export function isPhone(): boolean {
  if (typeof window === "undefined" || typeof window.matchMedia !== "function") return false;
  const touchOnly = window.matchMedia("(hover: none) and (pointer: coarse)").matches;
  return touchOnly && Math.min(window.screen.width, window.screen.height) < 600;
}

/** The system share sheet (Web Share API) can take this link. */
export function canShareLink(url: string): boolean {
  if (typeof navigator === "undefined" || typeof navigator.share !== "function") return false;
  try {
    return typeof navigator.canShare === "function" ? navigator.canShare({ url }) : true;
  } catch {
    return false;
  }
}
