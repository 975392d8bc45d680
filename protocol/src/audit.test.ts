import { describe, expect, it } from "vitest";

import { AUDIT_GENESIS, auditEntryHash, canonicalJson, verifyAuditExport } from "./audit.js";
import type { AuditEntry } from "./schemas/audit.js";

describe("canonical JSON (RFC 8785 over the values an entry holds)", () => {
  it("sorts members by UTF-16 code units, at every depth, without whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: "x" }, A: [true, false] })).toBe(
      '{"A":[true,false],"a":{"c":"x","d":null},"b":1}',
    );
    // "é" (U+00E9) sorts after "z"; an astral character by its surrogates, before U+FFFF.
    expect(canonicalJson({ é: 1, z: 2, "\u{1F600}": 3, "\uffff": 4 })).toBe(
      '{"z":2,"é":1,"\u{1F600}":3,"\uffff":4}',
    );
  });

  it("escapes strings as JCS does and leaves out undefined members", () => {
    expect(canonicalJson({ s: 'a"\\\n\u0001€', gone: undefined })).toBe(
      '{"s":"a\\"\\\\\\n\\u0001€"}',
    );
  });

  it("refuses what would need a second spelling", () => {
    expect(() => canonicalJson({ n: 1.5 })).toThrow();
    expect(() => canonicalJson({ n: 2 ** 60 })).toThrow();
  });
});

async function chain(length: number): Promise<string[]> {
  const lines: string[] = [];
  let prev = AUDIT_GENESIS;
  for (let seq = 1; seq <= length; seq += 1) {
    const entry: AuditEntry = {
      v: 1,
      org: "org-1",
      seq,
      at: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString(),
      type: "share.revealed",
      actor: { kind: "anonymous", id: null },
      ip: "192.0.2.1",
      target: { kind: "share", id: `s${seq}` },
      outcome: "success",
      prev,
      hash: "",
    };
    entry.hash = await auditEntryHash(entry);
    prev = entry.hash;
    lines.push(canonicalJson(entry));
  }
  return lines;
}

describe("verifyAuditExport", () => {
  it("accepts a chain, empty or not, and answers its last hash", async () => {
    const lines = await chain(5);
    const verdict = await verifyAuditExport(`${lines.join("\n")}\n`);
    expect(verdict).toEqual({
      ok: true,
      entries: 5,
      lastHash: (JSON.parse(lines[4]!) as AuditEntry).hash,
    });
    expect(await verifyAuditExport("")).toEqual({ ok: true, entries: 0, lastHash: null });
  });

  it("names the first line that breaks it", async () => {
    const lines = await chain(5);
    const at = async (text: string[]) => verifyAuditExport(text.join("\n"));
    expect(await at([...lines.slice(0, 2), "not json", ...lines.slice(3)])).toMatchObject({
      ok: false,
      line: 3,
    });
    expect(await at([lines[0]!, lines[2]!, lines[1]!])).toMatchObject({ ok: false, line: 2 });
    const renumbered = JSON.parse(lines[1]!) as AuditEntry;
    renumbered.seq = 7;
    renumbered.hash = await auditEntryHash(renumbered);
    expect(await at([lines[0]!, canonicalJson(renumbered)])).toMatchObject({
      ok: false,
      line: 2,
      reason: "seq 7 after 1",
    });
  });

  it("refuses a line that is not its entry's canonical JSON, though it parses to the entry", async () => {
    const lines = await chain(3);
    const at = async (text: string[]) => verifyAuditExport(text.join("\n"));
    // A forged value put before the real one: JSON.parse (and jq, and Python) keep the last
    // member of a name, so the hash still matches, while a reader sees the forged one first.
    const forgedIp = lines[1]!.replace('"ip":"192.0.2.1"', '"ip":"203.0.113.66","ip":"192.0.2.1"');
    const forgedActor = lines[1]!.replace(
      '{"actor":',
      '{"actor":{"id":"someone-else","kind":"user"},"actor":',
    );
    const extra = lines[1]!.replace('{"actor":', '{"note":1.5,"actor":');
    for (const forged of [forgedIp, forgedActor, lines[1]!.replace(",", ", "), extra]) {
      expect(forged).not.toBe(lines[1]);
      expect(await at([lines[0]!, forged, lines[2]!])).toMatchObject({ ok: false, line: 2 });
    }
    // Line ends written by another system (CRLF) change no byte of an entry.
    expect(await at(lines.map((line) => `${line}\r`))).toMatchObject({ ok: true, entries: 3 });
  });
});
