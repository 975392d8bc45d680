/**
 * The Standard Webhooks signature (standardwebhooks.com): the secret is `whsec_` + base64 of the
 * key; the signature of a message is `v1,` + base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)
 * with the timestamp in Unix seconds. webhooks.signing.test.ts, beside it, checks it against the
 * published library and its examples.
 */
import { createHmac, randomBytes } from "node:crypto";

const PREFIX = "whsec_";

export function newSigningSecret(): string {
  return PREFIX + randomBytes(24).toString("base64");
}

export function signatureOf(secret: string, id: string, timestampSeconds: number, body: string) {
  const key = Buffer.from(
    secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret,
    "base64",
  );
  const mac = createHmac("sha256", key)
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest("base64");
  return `v1,${mac}`;
}

/** The three headers of a delivery attempt. */
export function signedHeaders(secret: string, id: string, nowMs: number, body: string) {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureOf(secret, id, timestamp, body),
  };
}
