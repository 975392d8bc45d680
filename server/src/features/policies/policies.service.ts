/**
 * Organizations' sharing policies (SPEC F16): admins set them, members read them, and the shares
 * and requests services ask `checkShare` / `checkRequest` before every create of a member.
 * A policy applies to what is created after it; existing shares keep their own settings.
 */
import { SharingPolicy, type Access } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { ForbiddenError } from "../../errors.js";
import * as repo from "./policies.repository.js";
import {
  filesViolation,
  requestViolation,
  shareViolation,
  type ShareFacts,
  type Violation,
} from "./policies.rules.js";

export interface PoliciesDeps {
  database: Pick<DatabaseHandle, "db">;
  clock: Clock;
}

/** No row: every rule at its default, which allows everything the server allows. */
const OPEN_POLICY = SharingPolicy.parse({});

function refuse(violation: Violation): ForbiddenError {
  return new ForbiddenError("policy_violation", violation.message, { rule: violation.rule });
}

export function createPoliciesService(deps: PoliciesDeps) {
  const { database, clock } = deps;

  async function policyOf(orgId: string): Promise<SharingPolicy> {
    const row = await repo.findPolicy(database.db, orgId);
    // Stored through the schema on PUT; parsing again keeps an old row valid as rules are added.
    return row ? SharingPolicy.parse(JSON.parse(row.policy)) : OPEN_POLICY;
  }

  return {
    async get(orgId: string) {
      const row = await repo.findPolicy(database.db, orgId);
      return {
        policy: row ? SharingPolicy.parse(JSON.parse(row.policy)) : OPEN_POLICY,
        updatedAt: row ? new Date(Number(row.updated_at)).toISOString() : null,
      };
    },

    async put(orgId: string, policy: SharingPolicy, by: { userId: string | null }) {
      const now = clock.now();
      await repo.upsertPolicy(database.db, {
        org_id: orgId,
        policy: JSON.stringify(policy),
        updated_at: now,
        updated_by: by.userId,
      });
      return { policy, updatedAt: new Date(now).toISOString() };
    },

    /** Throws 403 `policy_violation` when the organization's policy forbids the share. */
    async checkShare(orgId: string, share: ShareFacts): Promise<void> {
      const violation = shareViolation(await policyOf(orgId), share);
      if (violation) throw refuse(violation);
    },

    async checkRequest(orgId: string, request: { access: Access }) {
      const violation = requestViolation(await policyOf(orgId), request);
      if (violation) throw refuse(violation);
    },

    /** The file rules for the files of an answer to a request of the organization (F13). */
    async checkFiles(orgId: string, fileBytes: number) {
      const violation = filesViolation(await policyOf(orgId), fileBytes);
      if (violation) throw refuse(violation);
    },
  };
}

export type PoliciesService = ReturnType<typeof createPoliciesService>;
/** What the shares and requests services need of it. */
export type PolicyCheck = Pick<PoliciesService, "checkShare" | "checkRequest" | "checkFiles">;
