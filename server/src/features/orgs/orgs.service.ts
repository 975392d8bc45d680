/**
 * Organizations (SPEC F8): members, roles and invitations. The last admin can neither leave nor
 * be demoted; the check and the change happen under one lock on the organization's row. Making
 * someone admin, by invitation or promotion, needs a recent proof of identity (recent-proof.ts):
 * a stolen admin session must not hand the organization to another account it keeps after the
 * session ends. Ordinary members and demotions need none.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database, Role } from "../../db/schema.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../../errors.js";
import * as invitations from "../../lib/invitations.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import { takeMailQuota, type MailLimits } from "../../lib/mail-quota.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import type { ProofCaller, RecentProof } from "../auth/recent-proof.js";
import * as repo from "./orgs.repository.js";

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export function createOrgsService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  mail: MailQueue;
  publicUrl: string;
  mailLimits: MailLimits;
  proof: Pick<RecentProof, "requireRecentProof">;
  /**
   * In the transaction where `userId` stops being an admin of `orgId` (removed, left, made
   * member): what they own as an admin pauses (features/webhooks, wired in app.ts).
   */
  onAdminGone?: (trx: Kysely<Database>, orgId: string, userId: string) => Promise<void>;
}) {
  const { database, clock, mail, publicUrl, mailLimits, proof } = deps;
  /** Checked before anything is read or written, so a refusal leaves no trace but its answer. */
  const proveForRole = async (role: Role, caller: ProofCaller) => {
    if (role === "admin") await proof.requireRecentProof(caller);
  };
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);

  async function lockOrg(trx: Kysely<Database>, orgId: string) {
    if (!(await repo.lockOrg(trx, database.dialect, orgId)))
      throw new NotFoundError("org_not_found", "No such organization.");
  }

  async function membership(trx: Kysely<Database>, orgId: string, userId: string) {
    const m = await repo.findMembership(trx, orgId, userId);
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

  async function mailInvitation(
    trx: Kysely<Database>,
    args: {
      email: string;
      orgId: string;
      orgName: string;
      invitedBy: { id: string; name: string | null };
      token: string;
    },
  ) {
    const inviterName = oneLine(args.invitedBy.name ?? "");
    await mail.enqueue(trx, {
      kind: "invitation",
      to: args.email,
      language: { causedBy: args.invitedBy.id, orgId: args.orgId },
      data: {
        orgName: oneLine(args.orgName),
        ...(inviterName ? { inviterName } : {}),
        acceptUrl: `${publicUrl}/invitations/${args.token}`,
      },
    });
  }

  return {
    /** One UPDATE; the new name shows on the next page load, e-mail and branded page. */
    async rename(orgId: string, name: string) {
      const row = await repo.renameOrg(database.db, orgId, name);
      if (!row) throw new NotFoundError("org_not_found", "No such organization.");
      return row;
    },

    async members(orgId: string) {
      return { items: await repo.listMembers(database.db, orgId) };
    },

    async invite(args: {
      orgId: string;
      orgName: string;
      email: string;
      role: Role;
      invitedBy: { id: string; name: string | null };
      /** The inviting admin's proof, needed for an admin invitation only. */
      caller: ProofCaller;
    }) {
      await proveForRole(args.role, args.caller);
      const token = newToken();
      const now = clock.now();
      const id = newId();
      await tx(async (trx) => {
        if (await repo.isMemberByEmail(trx, args.orgId, args.email))
          throw new ConflictError("already_member", `${args.email} is already a member.`);
        await takeMailQuota(trx, mailLimits, {
          senderId: args.invitedBy.id,
          recipients: [args.email],
          now,
        });
        await repo.insertInvitation(trx, {
          id,
          token_hash: hashToken(token),
          org_id: args.orgId,
          email: args.email,
          role: args.role,
          invited_by: args.invitedBy.id,
          created_at: now,
          expires_at: now + INVITATION_TTL_MS,
          accepted_at: null,
        });
        await mailInvitation(trx, { ...args, token });
      });
      mail.kick?.();
      return {
        id,
        email: args.email,
        role: args.role,
        expiresAt: new Date(now + INVITATION_TTL_MS).toISOString(),
      };
    },

    /**
     * Mails a pending invitation again (issue 25), with a new link valid for a new week; the old
     * link stops working. Counts toward the sender's mail limits like a new invitation. The link
     * is never shown to the admin: an invitation confirms the address it reaches, so only the
     * mail may carry it.
     */
    async resendInvitation(args: {
      orgId: string;
      orgName: string;
      invitationId: string;
      invitedBy: { id: string; name: string | null };
    }) {
      const token = newToken();
      const now = clock.now();
      const expiresAt = now + INVITATION_TTL_MS;
      const renewed = await tx(async (trx) => {
        const row = await repo.renewInvitation(trx, {
          id: args.invitationId,
          orgId: args.orgId,
          tokenHash: hashToken(token),
          now,
          expiresAt,
        });
        if (!row) throw new NotFoundError("invitation_not_found", "No such pending invitation.");
        const recipients = [row.email];
        await takeMailQuota(trx, mailLimits, { senderId: args.invitedBy.id, recipients, now });
        await mailInvitation(trx, { ...args, email: row.email, token });
        return row;
      });
      mail.kick?.();
      return { ...renewed, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Invitations not accepted and not expired, newest first; never their token or its hash. */
    async pendingInvitations(orgId: string) {
      const rows = await repo.pendingInvitations(database.db, orgId, clock.now());
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
      const deleted = await repo.deletePendingInvitation(database.db, {
        orgId,
        invitationId,
        now: clock.now(),
      });
      if (!deleted) throw new NotFoundError("invitation_not_found", "No such pending invitation.");
    },

    async invitation(token: string) {
      const row = await repo.findInvitationByTokenHash(database.db, hashToken(token));
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
        const tokenHash = hashToken(token);
        const invitation = await invitations.acceptInvitation(trx, {
          tokenHash,
          email: user.email,
          now,
        });
        if (!invitation) {
          if ((await invitations.pendingInvitationEmail(trx, tokenHash, now)) !== undefined) {
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
        await repo.insertMembership(trx, {
          org_id: invitation.org_id,
          user_id: user.id,
          role: invitation.role,
          created_at: now,
        });
        return { orgId: invitation.org_id, role: invitation.role };
      });
    },

    async removeMember(orgId: string, userId: string) {
      await tx(async (trx) => {
        await lockOrg(trx, orgId);
        const m = await membership(trx, orgId, userId);
        if (m.role === "admin" && (await repo.adminCount(trx, orgId)) <= 1) throw lastAdmin();
        await repo.deleteMembership(trx, orgId, userId);
        // An admin on the way out must not come back through an invitation they sent.
        await repo.deletePendingInvitationsBy(trx, userId, orgId);
        if (m.role === "admin") await deps.onAdminGone?.(trx, orgId, userId);
      });
    },

    async setRole(orgId: string, userId: string, role: Role, caller: ProofCaller) {
      await proveForRole(role, caller);
      await tx(async (trx) => {
        await lockOrg(trx, orgId);
        const m = await membership(trx, orgId, userId);
        if (m.role === "admin" && role !== "admin" && (await repo.adminCount(trx, orgId)) <= 1)
          throw lastAdmin();
        await repo.setMembershipRole(trx, orgId, userId, role);
        // Invitations are an admin's act: they go with the role (see removeMember).
        if (role !== "admin") {
          await repo.deletePendingInvitationsBy(trx, userId, orgId);
          await deps.onAdminGone?.(trx, orgId, userId);
        }
      });
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
