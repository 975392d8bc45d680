/**
 * The migration that gives webhook endpoints an owner (20261207120000_webhook_owner) backfills
 * endpoints from before it: the owner is the actor of the endpoint's `webhook.created` audit
 * entry, and an endpoint whose owner is no longer an admin of its organization is paused, as the
 * membership change would have paused it had the owner been known then. The database is migrated
 * to the migration before, filled as older builds wrote it, then migrated to the latest.
 */
import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";

import { testDialects } from "./helpers/databases.js";
import { insertOldOrg, insertOldUser, migrateOver } from "./helpers/migrations.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema of an older build
type OldDb = Kysely<any>;

const AT = 1_000_000;

async function member(db: OldDb, org: string, userId: string, role: string): Promise<void> {
  await sql`insert into memberships (org_id, user_id, role, created_at)
    values (${org}, ${userId}, ${role}, ${AT})`.execute(db);
}

async function endpoint(db: OldDb, org: string, id: string, enabled = 1): Promise<void> {
  await sql`insert into webhook_endpoints
      (id, org_id, url, events, format, include_names, secret, created_at, enabled)
    values (${id}, ${org}, ${`https://hooks.example.test/${id}`}, '[]', 'json', 0, 'sealed',
      ${AT}, ${enabled})`.execute(db);
}

/** One audit entry as the audit log writes it; the chain's hashes do not matter here. */
async function audit(
  db: OldDb,
  entry: { org: string; seq: number; type: string; actor: string | null; target: string | null },
  outcome = "success",
): Promise<void> {
  const kind = entry.actor === null ? "anonymous" : "user";
  await sql`insert into audit_entries
      (org_id, seq, at, type, actor_kind, actor_id, ip, target_kind, target_id, outcome, prev, hash)
    values (${entry.org}, ${entry.seq}, ${AT + entry.seq}, ${entry.type}, ${kind}, ${entry.actor},
      null, ${entry.target === null ? null : "webhook"}, ${entry.target}, ${outcome}, 'p', 'h')`.execute(
    db,
  );
}

describe.each(testDialects)("the webhook owner migration on %s", (dialect) => {
  it("takes each endpoint's owner from its webhook.created entry and pauses those whose owner is no longer an admin", async () => {
    await migrateOver(
      dialect,
      "20261207000000_shares_partial_indexes",
      async (db) => {
        for (const id of ["still", "demoted", "gone", "elsewhere", "other"])
          await insertOldUser(db, { id, at: AT });
        for (const org of ["o1", "o2"]) await insertOldOrg(db, org, AT);
        await member(db, "o1", "still", "admin");
        await member(db, "o1", "demoted", "member");
        await member(db, "o1", "gone", "admin");
        // Admin of another organization only: left o1, where the endpoint is.
        await member(db, "o2", "elsewhere", "admin");
        await member(db, "o1", "other", "admin");

        await endpoint(db, "o1", "e-still");
        await endpoint(db, "o1", "e-demoted");
        await endpoint(db, "o1", "e-gone");
        await endpoint(db, "o1", "e-elsewhere");
        await endpoint(db, "o1", "e-unknown");
        // Paused by hand, by an admin still there: stays paused, with no reason of the server's.
        await endpoint(db, "o1", "e-by-hand", 0);
        // Paused by hand, and its owner demoted since: the server's reason, so a resume hands it over.
        await endpoint(db, "o1", "e-by-hand-demoted", 0);

        let seq = 0;
        const created = (target: string, actor: string | null, org = "o1") =>
          audit(db, { org, seq: ++seq, type: "webhook.created", actor, target });
        // A failed attempt first names someone else: only the successful creation counts.
        await audit(
          db,
          { org: "o1", seq: ++seq, type: "webhook.created", actor: "demoted", target: "e-still" },
          "failure",
        );
        await created("e-still", "still");
        // Changed later by the demoted member: a change is not a creation.
        await audit(db, {
          org: "o1",
          seq: ++seq,
          type: "webhook.changed",
          actor: "demoted",
          target: "e-still",
        });
        await created("e-demoted", "demoted");
        await created("e-gone", "gone");
        await created("e-elsewhere", "elsewhere");
        // An entry in another organization's log about this id does not make an owner in o1.
        await created("e-unknown", "demoted", "o2");
        await created("e-by-hand", "still");
        await created("e-by-hand-demoted", "demoted");
        // The creator's account deleted: its memberships go, its audit entries stay.
        await sql`delete from users where id = 'gone'`.execute(db);
      },
      async (db) => {
        const rows = await sql<{
          id: string;
          created_by: string | null;
          enabled: number;
          paused_reason: string | null;
        }>`select id, created_by, enabled, paused_reason from webhook_endpoints order by id`.execute(
          db,
        );
        expect(
          rows.rows.map((r) => [r.id, r.created_by, Number(r.enabled), r.paused_reason]),
        ).toEqual([
          ["e-by-hand", "still", 0, null],
          ["e-by-hand-demoted", "demoted", 0, "creator_not_admin"],
          ["e-demoted", "demoted", 0, "creator_not_admin"],
          ["e-elsewhere", "elsewhere", 0, "creator_not_admin"],
          ["e-gone", "gone", 0, "creator_not_admin"],
          ["e-still", "still", 1, null],
          ["e-unknown", null, 1, null],
        ]);
      },
    );
  });
});
