/**
 * Logging options. Requests are logged by the app as one line each with the route pattern, never
 * the raw URL (paths such as /invitations/{token} carry secrets), and never bodies or headers.
 * The redaction list is a second line of defence for anything logged by mistake.
 */
import type { LoggerOptions } from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-manage-token"]',
  'req.headers["x-view-token"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "body",
  "*.body",
  "*.password",
  "*.token",
  "*.viewToken",
  "*.verifier",
  "*.ciphertext",
  "*.linkSecret",
  "*.manageToken",
  "*.readToken",
  "*.readingSecret",
  "*.encryptedPrivateKey",
  "*.value",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    // The default serializers would log the full URL and headers.
    serializers: {
      req: () => undefined,
      res: () => undefined,
    },
  };
}
