/**
 * Whose organization an event belongs to, for the audit log (lib/audit-sink.ts): read-only SQL
 * over memberships, users, shares and requests, as lib/people.ts is for names and addresses.
 */
import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import type { AuditEvent } from "./audit-sink.js";

type Db = Kysely<Database>;

export async function orgsOf(db: Db, org: AuditEvent["org"]): Promise<string[]> {
  if (org === null) return [];
  if (typeof org === "string") return [org];
  if ("ofShare" in org) {
    const row = await db
      .selectFrom("shares")
      .select("org_id")
      .where("id", "=", org.ofShare)
      .executeTakeFirst();
    return row?.org_id ? [row.org_id] : [];
  }
  if ("ofRequest" in org) {
    const row = await db
      .selectFrom("requests")
      .select("org_id")
      .where("id", "=", org.ofRequest)
      .executeTakeFirst();
    return row?.org_id ? [row.org_id] : [];
  }
  let query = db.selectFrom("memberships").select("memberships.org_id");
  query =
    "ofUser" in org
      ? query.where("memberships.user_id", "=", org.ofUser)
      : query
          .innerJoin("users", "users.id", "memberships.user_id")
          .where("users.email", "=", org.ofEmail.trim().toLowerCase());
  return (await query.execute()).map((r) => r.org_id);
}

/**
 * The name a share or request was given, for webhooks whose admin ticked "include share names";
 * undefined for other targets and unnamed ones.
 */
export async function targetName(
  db: Db,
  target: { kind: string; id: string } | null,
): Promise<string | undefined> {
  if (target?.kind !== "share" && target?.kind !== "request") return undefined;
  const row = await db
    .selectFrom(target.kind === "share" ? "shares" : "requests")
    .select("name")
    .where("id", "=", target.id)
    .executeTakeFirst();
  return row?.name ?? undefined;
}
