/**
 * A request's reference (docs/SPEC.md, audit entries): what names a request outside the server.
 * A request's id opens it: its link is `/r/{id}#{fp}`, the fingerprint is of a public key the
 * server hands out, and whoever holds the id can answer an "anyone" request first. The audit log
 * and webhook payloads, which reach a SIEM or a chat channel, name it by this instead: a hash of
 * the id, so it is the same wherever it is computed, needs no column, and does not lead back to
 * the id (16 random bytes). The request's own answers (create, list) carry it for matching.
 */
import { createHash } from "node:crypto";

const LABEL = "hushlink/v1/request-ref";
/** 22 base64url characters: 132 bits. */
export const REQUEST_REF_LENGTH = 22;

export function requestRef(id: string): string {
  return createHash("sha256")
    .update(LABEL, "utf8")
    .update(id, "utf8")
    .digest("base64url")
    .slice(0, REQUEST_REF_LENGTH);
}

/** The target as it may leave the server: a request by its reference, others as they are. */
export function publicTarget<T extends { kind: string; id: string }>(target: T): T {
  return target.kind === "request" ? { ...target, id: requestRef(target.id) } : target;
}
