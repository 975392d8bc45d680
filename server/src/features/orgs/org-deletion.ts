/**
 * Deleting an organization, and taking an account out of all of its organizations when the
 * account is deleted (issue 25). Shares and requests are other features' tables: app.ts passes
 * in the functions that erase them, which run inside the same transaction, so either all of an
 * organization goes or none of it.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError, ConflictError, NotFoundError } from "../../errors.js";
import { eraseFilesOf } from "../blobs/owner-files.erase.js";
import * as repo from "./orgs.repository.js";

type Trx = Kysely<Database>;

export interface OrgContentEraser {
  /** Destroys the organization's live shares (tombstones). */
  shares(trx: Trx, orgId: string, at: number): Promise<number>;
  /** Deletes the organization's requests with their values and logs. */
  requests(trx: Trx, orgId: string): Promise<number>;
}

export function createOrgDeletion(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  erase: OrgContentEraser;
  /** Called after a commit that destroyed shares (the sweepers remove files and bytes). */
  onDestroyed: () => void;
}) {
  const { database, clock, erase } = deps;

  /** Everything of the organization, then its row (memberships, invitations, logo cascade). */
  async function eraseOrg(trx: Trx, orgId: string, at: number) {
    await erase.shares(trx, orgId, at);
    await erase.requests(trx, orgId);
    await repo.deleteOrg(trx, orgId);
  }

  return {
    /**
     * An admin deletes the organization; `confirmName` must be its current name, so a stale
     * page or a script with the wrong id cannot delete another one.
     */
    async deleteOrg(orgId: string, confirmName: string) {
      // Checked before the files go (SQLite: one chunk per write, blobs/owner-files.erase.ts),
      // and again under the lock; the deletion is then a destruction, on the disk reserve's room.
      confirmed(await repo.findOrgName(database.db, orgId), confirmName);
      await eraseFilesOf(database, { orgId });
      await writeTransaction(
        database,
        async (trx) => {
          if (!(await repo.lockOrg(trx, database.dialect, orgId)))
            throw new NotFoundError("org_not_found", "No such organization.");
          confirmed(await repo.findOrgName(trx, orgId), confirmName);
          await eraseOrg(trx, orgId, clock.now());
        },
        { destroys: true },
      );
      deps.onDestroyed();
    },

    /**
     * Before an account's deletion (SQLite, blobs/owner-files.erase.ts): refuses early as
     * `withdraw` would (nothing erased then), and erases the stored chunks of the organizations
     * that go with it and of the account's own shares and requests.
     */
    async eraseFilesFirst(userId: string) {
      const orgs = await repo.membershipsWithCounts(database.db, userId);
      const blocking = orgs.filter(isBlocking);
      if (blocking.length > 0) throw soleAdmin(blocking.map((o) => o.name));
      for (const org of orgs)
        if (Number(org.members) <= 1) await eraseFilesOf(database, { orgId: org.id });
      await eraseFilesOf(database, { userId });
    },

    /**
     * Inside the account deletion's transaction: organizations where the account is the only
     * member are deleted whole; from the others it leaves, unless it is their only admin
     * (409 `sole_admin`, naming them, and nothing changes). Its pending invitations go too.
     */
    async withdraw(trx: Trx, userId: string, at: number) {
      const orgs = await repo.membershipsWithCounts(trx, userId);
      for (const org of orgs) await repo.lockOrg(trx, database.dialect, org.id);
      // Counted again under the locks: a promotion or a join racing with this is seen.
      const locked = await repo.membershipsWithCounts(trx, userId);
      const blocking = locked.filter(isBlocking);
      if (blocking.length > 0) throw soleAdmin(blocking.map((o) => o.name));
      await repo.deletePendingInvitationsBy(trx, userId);
      for (const org of locked) {
        if (Number(org.members) <= 1) await eraseOrg(trx, org.id, at);
        else await repo.deleteMembership(trx, org.id, userId);
      }
    },
  };
}

/** The account is the only admin of an organization with other members: it may not leave. */
const isBlocking = (o: { role: string; admins: unknown; members: unknown }) =>
  o.role === "admin" && Number(o.admins) <= 1 && Number(o.members) > 1;

function confirmed(name: string | null, confirmName: string): void {
  if (name === null) throw new NotFoundError("org_not_found", "No such organization.");
  if (name.trim() !== confirmName.trim())
    throw new BadRequestError(
      "confirmation_mismatch",
      "Type the organization's name exactly as shown to delete it.",
    );
}

const soleAdmin = (orgs: string[]) =>
  new ConflictError(
    "sole_admin",
    `You are the only admin of ${orgs.map((n) => `“${n}”`).join(", ")}, which has other members. ` +
      "Make someone else admin there, or delete the organization, first.",
    { orgs },
  );

export type OrgDeletion = ReturnType<typeof createOrgDeletion>;
