/** Signed-in clients for integration tests: cookies and the CSRF header, as a browser sends them. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import type { LightMyRequestResponse } from "fastify";
import { beforeAll } from "vitest";

import type { DatabaseHandle } from "../../src/db/database.js";
import type { TestApp } from "./app.js";

export interface Client {
  email: string;
  headers: Record<string, string>;
  inject: TestApp["app"]["inject"];
}

export function clientFrom(t: TestApp, res: LightMyRequestResponse, email: string): Client {
  const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
  const session = cookies.hl_session;
  const csrf = cookies.hl_csrf;
  if (!session || !csrf)
    throw new Error(`no session cookies in the answer (${res.statusCode} ${res.body})`);
  const headers = { cookie: `hl_session=${session}; hl_csrf=${csrf}`, "x-csrf-token": csrf };
  return {
    email,
    headers,
    inject: ((opts: Record<string, unknown>) =>
      t.app.inject({
        ...opts,
        headers: { ...headers, ...((opts.headers as Record<string, string>) ?? {}) },
      })) as never,
  };
}

let counter = 0;
export function uniqueEmail(name = "user") {
  counter += 1;
  return `${name}.${process.pid}.${counter}@example.test`;
}

export const GOOD_PASSWORD = "plum-river-lantern-42";

/**
 * Marks an address as confirmed, as following the link of its verification mail does (the tests
 * of that link itself follow it: accounts.test.ts). Most suites need a member who may invite,
 * create tokens and share with the organization, which an unconfirmed account may not.
 */
export async function markVerified(database: Pick<DatabaseHandle, "db">, email: string) {
  await database.db
    .updateTable("users")
    .set({ email_verified_at: Date.now() })
    .where("email", "=", email.toLowerCase())
    .where("email_verified_at", "is", null)
    .execute();
}

/**
 * Signs up, then signs in (sign-up itself signs nobody in: issue 15); the address counts as
 * confirmed unless `verified: false`.
 */
export async function signup(
  t: TestApp,
  email = uniqueEmail(),
  name?: string,
  options: { verified?: boolean } = {},
): Promise<Client> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/signup",
    payload: { email, password: GOOD_PASSWORD, ...(name ? { name } : {}) },
  });
  if (res.statusCode !== 202) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  if (options.verified !== false) await markVerified(t.database, email);
  return login(t, email);
}

/**
 * One POST /api/v1/auth/login, its answer as it came: for tests that read a refusal, a back-off or
 * a pending second factor (`login` below wants it to succeed). `remoteAddress` is the caller's IP
 * the back-off counts by (light-my-request's 127.0.0.1 unless given).
 */
export function signInAttempt(
  t: Pick<TestApp, "app">,
  email: string,
  password = GOOD_PASSWORD,
  remoteAddress?: string,
) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  });
}

export async function login(t: TestApp, email: string, password = GOOD_PASSWORD): Promise<Client> {
  const res = await signInAttempt(t, email, password);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return clientFrom(t, res, email.toLowerCase());
}

/** The first organization of a signed-in client: after sign-up, their own. */
export async function orgIdOf(c: Client): Promise<string> {
  const res = await c.inject({ url: "/api/v1/auth/me" });
  return res.json<{ orgs: { id: string }[] }>().orgs[0]!.id;
}

/**
 * Signs up someone new, signed in, with the organization sign-up made them the admin of (named
 * after `name` when given): the opening of most suites that act as an organization's admin.
 */
export async function newOrg(
  t: TestApp,
  email = uniqueEmail(),
  name?: string,
): Promise<{ admin: Client; orgId: string }> {
  const admin = await signup(t, email, name);
  return { admin, orgId: await orgIdOf(admin) };
}

/**
 * Makes the account of `email` a member (or an admin) of `orgId` straight in the database, past
 * the invitation flow (its own tests take that path).
 */
export async function addMembership(
  t: TestApp,
  orgId: string,
  email: string,
  role: "member" | "admin" = "member",
): Promise<void> {
  await t.database.db
    .insertInto("memberships")
    .values({
      org_id: orgId,
      user_id: await userIdOf(t, email),
      role,
      created_at: t.clock.now(),
    })
    .execute();
}

/** The id of the account of `email`, read from the database. */
export async function userIdOf(t: TestApp, email: string): Promise<string> {
  const { id } = await t.database.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", email.toLowerCase())
    .executeTakeFirstOrThrow();
  return id;
}

/** How each stored session of `email`'s account was signed in (password, passkey, sso), read from the database. */
export async function sessionMethodsOf(t: TestApp, email: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select("sessions.method")
    .where("users.email", "=", email)
    .execute();
  return rows.map((r) => r.method);
}

/** Signs someone up and makes them a member of `orgId` straight in the database, signed in. */
export async function memberOf(
  t: TestApp,
  orgId: string,
  email = uniqueEmail(),
  name?: string,
): Promise<Client> {
  await signup(t, email, name);
  await addMembership(t, orgId, email);
  return login(t, email);
}

/** An organization's admin, a member of it and someone outside it, all signed in. */
export interface OrgPeople {
  admin: Client;
  member: Client;
  outsider: Client;
  orgId: string;
}

/**
 * Signs up, in the suite's beforeAll, an admin (`admin.name`'s organization), a member of that
 * organization (`memberEmail`) and an outsider; their clients are on the returned object then.
 */
export function orgPeople(
  t: TestApp,
  admin: { email: string; name: string },
  memberEmail = uniqueEmail(),
): OrgPeople {
  const people = {} as OrgPeople;
  beforeAll(async () => {
    people.admin = await signup(t, admin.email, admin.name);
    people.orgId = await orgIdOf(people.admin);
    people.member = await memberOf(t, people.orgId, memberEmail);
    people.outsider = await signup(t);
  });
  return people;
}

/** Messages the file transport wrote (no SMTP configured), newest last, as raw .eml text. */
export async function mailsTo(t: TestApp, email: string): Promise<string[]> {
  await t.services.mail.runOnce();
  const folder = join(t.testDb.dataDir, "mail");
  let files: string[];
  try {
    files = readdirSync(folder).sort();
  } catch {
    return [];
  }
  return files
    .map((f) => readFileSync(join(folder, f), "utf8"))
    .filter((m) => new RegExp(`^To: .*${email.replace(/[.+]/g, "\\$&")}`, "mi").test(m));
}

/**
 * The first URL starting with `prefix` in `message`, or in the last of several messages that has
 * one (file names order messages only to the millisecond), quoted-printable soft breaks undone.
 */
export function linkIn(message: string | string[], prefix: string): string {
  if (Array.isArray(message)) {
    const found = message
      .map((m) => {
        try {
          return linkIn(m, prefix);
        } catch {
          return null;
        }
      })
      .filter((l) => l !== null);
    const last = found[found.length - 1];
    if (last === undefined)
      throw new Error(`no link starting with ${prefix} in ${message.length} messages`);
    return last;
  }
  const text = message.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}[^\\s"<>]+`).exec(text);
  if (!match) throw new Error(`no link starting with ${prefix} in the message`);
  return match[0];
}
