/**
 * What features need to know about people: memberships, addresses, names. Read-only SQL over the
 * users, memberships and orgs tables, so that shares and requests read no other feature's
 * internals; the People interface is what unit tests replace with an in-memory fake.
 */
import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

type Db = Kysely<Database>;

/** A signed-in caller as the routes know them: who, and their role in each organization. */
export interface Member {
  id: string;
  orgs: { id: string; role: string }[];
}

/** The domain of an address, lower-cased: what SSO domains are matched against. */
export const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

export async function isMember(db: Db, orgId: string | null, userId: string): Promise<boolean> {
  if (orgId === null) return false;
  const row = await db
    .selectFrom("memberships")
    .select("user_id")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function emailOf(db: Db, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("users")
    .select("email")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.email;
}

/**
 * The address of a share's creator while they may still manage it (as its access log): a share
 * of an organization only while they are a member of it, one of no organization always (older
 * rows). A view receipt carries the viewer's IP, which a removed member may no longer read.
 */
export async function managerEmailOf(
  db: Db,
  userId: string,
  orgId: string | null,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("users")
    .select("email")
    .where("id", "=", userId)
    .where((eb) =>
      orgId === null
        ? eb.lit(true)
        : eb.exists(
            eb
              .selectFrom("memberships")
              .select("memberships.user_id")
              .whereRef("memberships.user_id", "=", "users.id")
              .where("memberships.org_id", "=", orgId),
          ),
    )
    .executeTakeFirst();
  return row?.email;
}

/** The sender of an e-mailed share as recipients see them: their name and organization's. */
export async function senderOf(db: Db, args: { userId: string; orgId: string }) {
  return db
    .selectFrom("users")
    .innerJoin("memberships", "memberships.user_id", "users.id")
    .innerJoin("orgs", "orgs.id", "memberships.org_id")
    .select(["users.name", "users.email", "orgs.name as orgName"])
    .where("users.id", "=", args.userId)
    .where("orgs.id", "=", args.orgId)
    .executeTakeFirst();
}

/**
 * The organization's memberships joined to their accounts: the one place that says how a member
 * is found, for lookups by id or by address (here, in orgs and in second factors).
 */
export function membersOf(db: Db, orgId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .where("memberships.org_id", "=", orgId);
}

/** Which of `emails` belong to members of the organization. */
export async function membersAmong(db: Db, orgId: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const found = await membersOf(db, orgId)
    .select("users.email")
    .where("users.email", "in", emails)
    .execute();
  return new Set(found.map((r) => r.email));
}

export async function orgName(db: Db, orgId: string): Promise<string | undefined> {
  const org = await db.selectFrom("orgs").select("name").where("id", "=", orgId).executeTakeFirst();
  return org?.name;
}

/**
 * What a mail's language is chosen from (features/mail, mail.locale.ts): the language of the
 * confirmed account at `to` (an unconfirmed one may have been made by someone else with that
 * address), of the account `causedBy`, and the default of `orgId`, or when none is given, of the
 * oldest organization of the recipient (or else of `causedBy`).
 */
export async function mailLanguages(
  db: Db,
  args: { to: string; causedBy?: string | null | undefined; orgId?: string | null | undefined },
): Promise<{ recipient: string | null; causedBy: string | null; org: string | null }> {
  const recipient = await db
    .selectFrom("users")
    .select(["id", "locale"])
    .where("email", "=", args.to.toLowerCase())
    .where("email_verified_at", "is not", null)
    .executeTakeFirst();
  const actor = args.causedBy
    ? await db
        .selectFrom("users")
        .select(["id", "locale"])
        .where("id", "=", args.causedBy)
        .executeTakeFirst()
    : undefined;
  let orgId = args.orgId ?? null;
  for (const person of [recipient, actor]) {
    if (orgId !== null || !person) continue;
    const first = await db
      .selectFrom("memberships")
      .select("org_id")
      .where("user_id", "=", person.id)
      .orderBy("created_at")
      .orderBy("org_id")
      .executeTakeFirst();
    orgId = first?.org_id ?? null;
  }
  const org =
    orgId === null
      ? undefined
      : await db
          .selectFrom("orgs")
          .select("default_locale")
          .where("id", "=", orgId)
          .executeTakeFirst();
  return {
    recipient: recipient?.locale ?? null,
    causedBy: actor?.locale ?? null,
    org: org?.default_locale ?? null,
  };
}

/** The lookups as one interface, which unit tests implement in memory. */
export interface People {
  isMember: typeof isMember;
  emailOf: typeof emailOf;
  managerEmailOf: typeof managerEmailOf;
  senderOf: typeof senderOf;
  membersAmong: typeof membersAmong;
  orgName: typeof orgName;
}
