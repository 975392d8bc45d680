import { expect } from "vitest";

import { verifyAuditExport, type AuditEntry } from "@hushlink/protocol";

import type { Client } from "./accounts.js";

/**
 * The organization's audit log as its export has it (GET /api/v1/orgs/{orgId}/audit, the
 * caller an admin), oldest first, after checking that the export answered 200 and its hash
 * chain verifies.
 */
export async function auditEntries(
  admin: Pick<Client, "inject">,
  orgId: string,
): Promise<AuditEntry[]> {
  const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
  expect(res.statusCode, res.body).toBe(200);
  expect(await verifyAuditExport(res.body)).toMatchObject({ ok: true });
  return res.body
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as AuditEntry);
}
