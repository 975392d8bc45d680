/**
 * Organizations (SPEC F8): members, roles and invitations. The last admin can neither leave nor
 * be demoted; the check and the change happen under one lock on the organization's row.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database, Role } from "../../db/schema.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../../errors.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import { takeMailQuota, type MailLimits } from "../../lib/mail-quota.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export function createOrgsService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  mail: MailQueue;
  publicUrl: string;
  mailLimits: MailLimits;
}) {
  const { database, clock, mail, publicUrl, mailLimits } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);

  /** Serialises membership changes of one organization (SQLite already has one writer). */
  async function lockOrg(trx: Kysely<Database>, orgId: string) {
    const q = trx.selectFrom("orgs").select("id").where("id", "=", orgId);
    const org = await (database.dialect === "postgres" ? q.forUpdate() : q).executeTakeFirst();
    if (!org) throw new NotFoundError("org_not_found", "No such organization.");
  }

  async function adminCount(trx: Kysely<Database>, orgId: string) {
    const row = await trx
      .selectFrom("memberships")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", orgId)
      .where("role", "=", "admin")
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function membership(trx: Kysely<Database>, orgId: string, userId: string) {
    const m = await trx
      .selectFrom("memberships")
      .select("role")
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!m)
      throw new NotFoundError(
        "member_not_found",
        "This person is not a member of the organization.",
      );
    return m;
  }

  const lastAdmin = () =>
    new ConflictError(
      "last_admin",
      "An organization needs at least one admin. Make someone else admin first.",
    );

  return {
    async members(orgId: string) {
      const rows = await database.db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.user_id")
        .select(["users.id as userId", "users.email", "users.name", "memberships.role"])
        .where("memberships.org_id", "=", orgId)
        .orderBy("users.email")
        .execute();
      return { items: rows };
    },

    async invite(args: {
      orgId: string;
      orgName: string;
      email: string;
      role: Role;
      invitedBy: { id: string; name: string | null };
    }) {
      const token = newToken();
      const now = clock.now();
      const id = newId();
      await tx(async (trx) => {
        const existing = await trx
          .selectFrom("memberships")
          .innerJoin("users", "users.id", "memberships.user_id")
          .select("users.id")
          .where("memberships.org_id", "=", args.orgId)
          .where("users.email", "=", args.email)
          .executeTakeFirst();
        if (existing)
          throw new ConflictError("already_member", `${args.email} is already a member.`);
        await takeMailQuota(trx, mailLimits, {
          senderId: args.invitedBy.id,
          recipients: [args.email],
          now,
        });
        await trx
          .insertInto("invitations")
          .values({
            id,
            token_hash: hashToken(token),
            org_id: args.orgId,
            email: args.email,
            role: args.role,
            invited_by: args.invitedBy.id,
            created_at: now,
            expires_at: now + INVITATION_TTL_MS,
            accepted_at: null,
          })
          .execute();
        await mail.enqueue(trx, {
          kind: "invitation",
          to: args.email,
          data: {
            orgName: oneLine(args.orgName),
            ...(args.invitedBy.name && oneLine(args.invitedBy.name)
              ? { inviterName: oneLine(args.invitedBy.name) }
              : {}),
            acceptUrl: `${publicUrl}/invitations/${token}`,
          },
        });
      });
      mail.kick?.();
      return {
        id,
        email: args.email,
        role: args.role,
        expiresAt: new Date(now + INVITATION_TTL_MS).toISOString(),
      };
    },

    /** Invitations not accepted and not expired, newest first; never their token or its hash. */
    async pendingInvitations(orgId: string) {
      const rows = await database.db
        .selectFrom("invitations")
        .leftJoin("users", "users.id", "invitations.invited_by")
        .select([
          "invitations.id",
          "invitations.email",
          "invitations.role",
          "invitations.created_at",
          "invitations.expires_at",
          "users.id as inviterId",
          "users.email as inviterEmail",
          "users.name as inviterName",
        ])
        .where("invitations.org_id", "=", orgId)
        .where("invitations.accepted_at", "is", null)
        .where("invitations.expires_at", ">", clock.now())
        .orderBy("invitations.created_at", "desc")
        .orderBy("invitations.id")
        .execute();
      return {
        items: rows.map((row) => ({
          id: row.id,
          email: row.email,
          role: row.role,
          ...(row.inviterId !== null && row.inviterEmail !== null
            ? {
                invitedBy: {
                  userId: row.inviterId,
                  email: row.inviterEmail,
                  name: row.inviterName,
                },
              }
            : {}),
          createdAt: new Date(row.created_at).toISOString(),
          expiresAt: new Date(row.expires_at).toISOString(),
        })),
      };
    },

    /**
     * Withdraws a pending invitation. One DELETE decides, so of any number of concurrent
     * cancels exactly one succeeds, and an accept racing it either ran first (then the
     * invitation is no longer pending: 404 here) or finds no row (the unknown-invitation answer).
     */
    async cancelInvitation(orgId: string, invitationId: string) {
      const result = await database.db
        .deleteFrom("invitations")
        .where("id", "=", invitationId)
        .where("org_id", "=", orgId)
        .where("accepted_at", "is", null)
        .where("expires_at", ">", clock.now())
        .executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1)
        throw new NotFoundError("invitation_not_found", "No such pending invitation.");
    },

    async invitation(token: string) {
      const row = await database.db
        .selectFrom("invitations")
        .innerJoin("orgs", "orgs.id", "invitations.org_id")
        .select([
          "orgs.name as orgName",
          "invitations.email",
          "invitations.role",
          "invitations.expires_at",
          "invitations.accepted_at",
        ])
        .where("invitations.token_hash", "=", hashToken(token))
        .executeTakeFirst();
      if (!row || row.accepted_at !== null || row.expires_at <= clock.now()) {
        throw new NotFoundError(
          "invitation_not_found",
          "This invitation is not valid any more. Ask for a new one.",
        );
      }
      return { orgName: row.orgName, email: row.email, role: row.role };
    },

    /** Single use: the UPDATE that marks it accepted is the one that admits. */
    async accept(token: string, user: { id: string; email: string }) {
      return tx(async (trx) => {
        const now = clock.now();
        const invitation = await trx
          .updateTable("invitations")
          .set({ accepted_at: now })
          .where("token_hash", "=", hashToken(token))
          .where("accepted_at", "is", null)
          .where("expires_at", ">", now)
          .where("email", "=", user.email)
          .returning(["org_id", "role"])
          .executeTakeFirst();
        if (!invitation) {
          const other = await trx
            .selectFrom("invitations")
            .select("email")
            .where("token_hash", "=", hashToken(token))
            .where("accepted_at", "is", null)
            .where("expires_at", ">", now)
            .executeTakeFirst();
          if (other) {
            throw new ForbiddenError(
              "invitation_email_mismatch",
              "This invitation was sent to another e-mail address. Sign in with that address.",
            );
          }
          throw new NotFoundError(
            "invitation_not_found",
            "This invitation is not valid any more. Ask for a new one.",
          );
        }
        await trx
          .insertInto("memberships")
          .values({
            org_id: invitation.org_id,
            user_id: user.id,
            role: invitation.role,
            created_at: now,
          })
          .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
          .execute();
        return { orgId: invitation.org_id, role: invitation.role };
      });
    },

    async removeMember(orgId: string, userId: string) {
      await tx(async (trx) => {
        await lockOrg(trx, orgId);
        const m = await membership(trx, orgId, userId);
        if (m.role === "admin" && (await adminCount(trx, orgId)) <= 1) throw lastAdmin();
        await trx
          .deleteFrom("memberships")
          .where("org_id", "=", orgId)
          .where("user_id", "=", userId)
          .execute();
      });
    },

    async setRole(orgId: string, userId: string, role: Role) {
      await tx(async (trx) => {
        await lockOrg(trx, orgId);
        const m = await membership(trx, orgId, userId);
        if (m.role === "admin" && role !== "admin" && (await adminCount(trx, orgId)) <= 1)
          throw lastAdmin();
        await trx
          .updateTable("memberships")
          .set({ role })
          .where("org_id", "=", orgId)
          .where("user_id", "=", userId)
          .execute();
      });
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
