import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from "kysely";

import { openDatabase, type DatabaseOptions } from "./database.js";

import * as m20261126120000 from "./migrations/20261126120000_shares.js";
import * as m20261126125000 from "./migrations/20261126125000_accounts.js";
import * as m20261126130000 from "./migrations/20261126130000_outbox.js";
import * as m20261126140000 from "./migrations/20261126140000_requests.js";
import * as m20261126150000 from "./migrations/20261126150000_branding.js";
import * as m20261126160000 from "./migrations/20261126160000_recipients.js";
import * as m20261127120000 from "./migrations/20261127120000_invitations_by_org.js";
import * as m20261127130000 from "./migrations/20261127130000_events_from_shares.js";
import * as m20261201220000 from "./migrations/20261201220000_share_sender.js";
import * as m20261201230000 from "./migrations/20261201230000_sign_in_backoff.js";
import * as m20261201231000 from "./migrations/20261201231000_files.js";
import * as m20261202010000 from "./migrations/20261202010000_signup_browser.js";
import * as m20261202040000 from "./migrations/20261202040000_token_scopes.js";
import * as m20261202041000 from "./migrations/20261202041000_recipient_links.js";
import * as m20261202042000 from "./migrations/20261202042000_request_keys.js";
import * as m20261202043000 from "./migrations/20261202043000_audit.js";
import * as m20261202044000 from "./migrations/20261202044000_sso.js";
import * as m20261202070000 from "./migrations/20261202070000_email_codes.js";
import * as m20261202071000 from "./migrations/20261202071000_sso_identities.js";
import * as m20261202080000 from "./migrations/20261202080000_org_policies.js";
import * as m20261202081000 from "./migrations/20261202081000_second_factor.js";
import * as m20261202090000 from "./migrations/20261202090000_webhooks.js";
import * as m20261202091000 from "./migrations/20261202091000_require_second_factor.js";
import * as m20261202140000 from "./migrations/20261202140000_audit_via_webhook_enabled.js";
import * as m20261203074000 from "./migrations/20261203074000_request_files.js";
import * as m20261203080000 from "./migrations/20261203080000_passkeys.js";
import * as m20261203140000 from "./migrations/20261203140000_locales.js";
import * as m20261203150000 from "./migrations/20261203150000_mail_locale.js";
import * as m20261204160000 from "./migrations/20261204160000_shares_uploading_by_status.js";
import * as m20261205220000 from "./migrations/20261205220000_shares_expiry_index.js";
import * as m20261206100000 from "./migrations/20261206100000_session_method.js";
import * as m20261206110000 from "./migrations/20261206110000_sso_domain_proof.js";
import * as m20261207000000 from "./migrations/20261207000000_shares_partial_indexes.js";
import * as m20261207120000 from "./migrations/20261207120000_webhook_owner.js";
import * as m20261207140000 from "./migrations/20261207140000_canonical_domains.js";

/**
 * Migrations are listed here rather than read from a folder, so the same list runs from
 * compiled JavaScript and from TypeScript under the test runner. Add new files in order.
 */
const migrations: Record<string, Migration> = {
  "20261126120000_shares": m20261126120000,
  "20261126125000_accounts": m20261126125000,
  "20261126130000_outbox": m20261126130000,
  "20261126140000_requests": m20261126140000,
  "20261126150000_branding": m20261126150000,
  "20261126160000_recipients": m20261126160000,
  "20261127120000_invitations_by_org": m20261127120000,
  "20261127130000_events_from_shares": m20261127130000,
  "20261201220000_share_sender": m20261201220000,
  "20261201230000_sign_in_backoff": m20261201230000,
  "20261201231000_files": m20261201231000,
  "20261202010000_signup_browser": m20261202010000,
  "20261202040000_token_scopes": m20261202040000,
  "20261202041000_recipient_links": m20261202041000,
  "20261202042000_request_keys": m20261202042000,
  "20261202043000_audit": m20261202043000,
  "20261202044000_sso": m20261202044000,
  "20261202070000_email_codes": m20261202070000,
  "20261202071000_sso_identities": m20261202071000,
  "20261202080000_org_policies": m20261202080000,
  "20261202081000_second_factor": m20261202081000,
  "20261202090000_webhooks": m20261202090000,
  "20261202091000_require_second_factor": m20261202091000,
  "20261202140000_audit_via_webhook_enabled": m20261202140000,
  "20261203074000_request_files": m20261203074000,
  "20261203080000_passkeys": m20261203080000,
  "20261203140000_locales": m20261203140000,
  "20261203150000_mail_locale": m20261203150000,
  "20261204160000_shares_uploading_by_status": m20261204160000,
  "20261205220000_shares_expiry_index": m20261205220000,
  "20261206100000_session_method": m20261206100000,
  "20261206110000_sso_domain_proof": m20261206110000,
  "20261207000000_shares_partial_indexes": m20261207000000,
  "20261207120000_webhook_owner": m20261207120000,
  "20261207140000_canonical_domains": m20261207140000,
};

/** The newest migration this build knows. */
export const LATEST_MIGRATION = Object.keys(migrations).at(-1) ?? "";

/**
 * Whether this build's newest migration has run on the database (Kysely's own table). False for
 * a database recreated empty under a running server, or restored from an older backup: its
 * connection answers, but every feature would fail on missing tables. A newer build's migrations
 * beside ours (a rolling upgrade) still count as ready.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function hasLatestMigration(db: Kysely<any>): Promise<boolean> {
  try {
    const found =
      await sql`select 1 as one from kysely_migration where name = ${LATEST_MIGRATION}`.execute(db);
    return found.rows.length > 0;
  } catch (error) {
    // No migration table at all: an empty database. Anything else (a lost connection) is the
    // caller's to report.
    if (/no such table|does not exist/i.test(String((error as Error).message))) return false;
    throw error;
  }
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | null,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

/** Brings the schema up to (and including) one migration; tests of a data migration use it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  if (!(name in migrations)) throw new Error(`no migration named ${name}`);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}

/** Brings the schema up to date; throws MigrationError naming the migration that failed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? "(setup)"} failed: ${reason}`,
      failed?.migrationName ?? null,
      error,
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * Brings the database up to date on a connection of its own (`npm run db:migrate`, and the server
 * before it opens its pool), closed after: without the statement timeout requests have, since an
 * index build on a large table may rightly take minutes. A failed migration's error is the one
 * thrown, not the close's.
 */
export async function migrateOwnConnection(
  target: Pick<DatabaseOptions, "databaseUrl" | "dataDir">,
): Promise<string[]> {
  const database = openDatabase({ ...target, statementTimeouts: false });
  let applied: string[];
  try {
    applied = await migrateToLatest(database.db);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  await database.close();
  return applied;
}
