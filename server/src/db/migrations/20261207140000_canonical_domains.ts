import { canonicalDomain } from "@hushlink/protocol";
import { sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * Stored addresses and domains in their one spelling (docs/SPEC.md, "Lookalike domains").
 * Sign-in, reset, discovery and lookups now put the typed domain in its one spelling (IDNA UTS #46,
 * lower-case Unicode), so a row stored before in another spelling (`bob@xn--bcher-kva.example`,
 * full-width or unmapped Unicode) would no longer be found. Each such value is rewritten by the
 * protocol's own rule, in one statement that writes it only where no other row of its scope holds
 * the one spelling already: that would be a second account (or recipient, claim) for one inbox,
 * which someone must merge by hand, so it is left as it is and counted in one line without
 * addresses. Plain ASCII without `xn--` is what the rule keeps as sent: SQL leaves those rows unread.
 */

interface Column {
  table: string;
  column: string;
  /** The columns naming one row. */
  keys: string[];
  /** Where the one spelling must be free: the columns a clash shares (none: the whole table). */
  scope: string[];
  /** An address (the domain after its last @) or a bare domain. */
  kind: "address" | "domain";
}

const COLUMNS: Column[] = [
  { table: "users", column: "email", keys: ["id"], scope: [], kind: "address" },
  { table: "invitations", column: "email", keys: ["id"], scope: ["org_id"], kind: "address" },
  {
    table: "share_recipients",
    column: "email",
    keys: ["id"],
    scope: ["share_id"],
    kind: "address",
  },
  {
    table: "org_sso_domains",
    column: "domain",
    keys: ["org_id", "domain"],
    scope: ["org_id"],
    kind: "domain",
  },
];

/** The value in its one spelling, or null where it has none or already is in it. */
export function oneSpelling(stored: string, kind: Column["kind"]): string | null {
  // As the schemas read what is typed: trimmed, lower-cased, then the domain's rule.
  const lower = stored.trim().toLowerCase();
  const at = kind === "address" ? lower.lastIndexOf("@") : -1;
  if (kind === "address" && at < 0) return null;
  const verdict = canonicalDomain(lower.slice(at + 1));
  if (!verdict.ok) return null;
  const canonical = `${lower.slice(0, at + 1)}${verdict.domain}`;
  return canonical === stored ? null : canonical;
}

async function rewrite(db: Kysely<any>, spec: Column): Promise<number> {
  const { table, column } = spec;
  const candidates = await db
    .selectFrom(table)
    .selectAll()
    // More bytes than characters: not ASCII. octet_length is in PostgreSQL and SQLite >= 3.43.
    .where((eb) =>
      eb.or([
        eb(sql`octet_length(${sql.ref(column)})`, "<>", sql`length(${sql.ref(column)})`),
        eb(sql`lower(${sql.ref(column)})`, "like", "%xn--%"),
      ]),
    )
    .execute();
  let clashes = 0;
  for (const row of candidates) {
    const canonical = oneSpelling(row[column] as string, spec.kind);
    if (canonical === null) continue;
    let update = db.updateTable(table).set({ [column]: canonical });
    for (const key of spec.keys) update = update.where(key, "=", row[key]);
    update = update.where(column, "=", row[column]);
    const result = await update
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(`${table} as other`)
              .select(sql`1`.as("one"))
              .where(`other.${column}`, "=", canonical)
              .where((inner) =>
                // A proven SSO claim is one per domain across organizations, too.
                table === "org_sso_domains" && row.proven_at !== null
                  ? inner.or([
                      inner(`other.org_id`, "=", row.org_id),
                      inner(`other.proven_at`, "is not", null),
                    ])
                  : inner.and(spec.scope.map((s) => inner(`other.${s}`, "=", row[s]))),
              ),
          ),
        ),
      )
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) clashes += 1;
  }
  return clashes;
}

export async function up(db: Kysely<any>): Promise<void> {
  const clashes: string[] = [];
  for (const spec of COLUMNS) {
    const count = await rewrite(db, spec);
    if (count > 0) clashes.push(`${spec.table}.${spec.column}: ${count}`);
  }
  if (clashes.length > 0)
    console.warn(
      `20261207140000_canonical_domains: rows left in their old spelling, since another row holds their one spelling (${clashes.join(", ")})`,
    );
}

/** The old spellings are not kept: each was the same address, and every reader takes this one. */
export async function down(): Promise<void> {}
