/**
 * The audit log's chain (docs/SPEC.md, "Audit log"): canonical JSON, the hash of an entry, and the
 * check `hushlink audit verify` and the server's tests run over an NDJSON export. Here so that the
 * server that writes the chain and every client that checks it hash the same bytes.
 */
import { sha256 } from "./crypto.js";
import { AuditEntry } from "./schemas/audit.js";

/** `prev` of an organization's first entry: no entry came before it. */
export const AUDIT_GENESIS = "0".repeat(64);

/**
 * Canonical JSON: RFC 8785 (JCS) over the values an entry holds. Object keys sorted by UTF-16
 * code units, no whitespace, strings escaped as JSON.stringify escapes them (which is JCS's rule),
 * numbers safe integers only (JCS's number form is then the plain decimal), `undefined` members
 * left out. Anything else is refused rather than given a second spelling.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error("canonical JSON holds safe integers only");
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** SHA-256 (lower-case hex) of an entry's canonical JSON, its own `hash` member left out. */
export async function auditEntryHash(entry: Record<string, unknown>): Promise<string> {
  const { hash: _own, ...rest } = entry;
  return hex(await sha256(new TextEncoder().encode(canonicalJson(rest))));
}

/** Null for what canonical JSON cannot hold (a fraction, a huge number): no entry holds one. */
function canonicalOrNull(value: unknown): string | null {
  try {
    return canonicalJson(value);
  } catch {
    return null;
  }
}

export type AuditVerdict =
  | { ok: true; entries: number; lastHash: string | null }
  | { ok: false; line: number; reason: string };

/**
 * Checks an NDJSON export line by line: each line an entry written as its canonical JSON (the
 * server's own spelling, so nothing in the line escapes the hash), its `hash` its own, its `prev` the
 * hash of the line before, its `seq` one more (the first line's `prev` is taken as given, since
 * an export may start anywhere). Answers the first line (from 1) that breaks, and why.
 */
export async function verifyAuditExport(text: string): Promise<AuditVerdict> {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let previous: { hash: string; seq: number; org: string } | null = null;
  for (const [index, raw] of lines.entries()) {
    const number = index + 1;
    // Line ends written by another system change no byte of an entry.
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { ok: false, line: number, reason: "not JSON" };
    }
    const entry = AuditEntry.safeParse(parsed);
    if (!entry.success) return { ok: false, line: number, reason: "not an audit entry" };
    // The server writes each line as its entry's canonical JSON, so any other spelling is an
    // edit: above all a member given twice, of which JSON.parse keeps the last (the hash still
    // holds) while a reader, or another parser, sees the first, a forged actor or address.
    if (line !== canonicalOrNull(parsed)) {
      return { ok: false, line: number, reason: "not the entry's canonical JSON (edited)" };
    }
    const own = await auditEntryHash(parsed as Record<string, unknown>);
    if (own !== entry.data.hash) {
      return { ok: false, line: number, reason: "the entry does not match its hash (edited)" };
    }
    if (previous) {
      if (entry.data.org !== previous.org) {
        return { ok: false, line: number, reason: "another organization's entry" };
      }
      if (entry.data.prev !== previous.hash) {
        return {
          ok: false,
          line: number,
          reason: "prev is not the hash of the line before (removed, inserted or reordered)",
        };
      }
      if (entry.data.seq !== previous.seq + 1) {
        return { ok: false, line: number, reason: `seq ${entry.data.seq} after ${previous.seq}` };
      }
    }
    previous = { hash: own, seq: entry.data.seq, org: entry.data.org };
  }
  return { ok: true, entries: lines.length, lastHash: previous?.hash ?? null };
}
