/**
 * The code of an error, for logs: only a plain identifier (ECONNRESET, sealed_tampered), so
 * nothing a server, driver or peer said (which may quote an address or a query) reaches a log.
 * `fallback` is what an error without such a code is logged as.
 */
export function codeOf(error: unknown, fallback: "unknown" | "name" = "unknown"): string {
  const e = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof e.code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(e.code)) return e.code;
  return fallback === "name" && typeof e.name === "string" ? e.name : "unknown";
}
