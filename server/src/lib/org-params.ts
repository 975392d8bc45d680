/**
 * The path parameters of the routes under /api/v1/orgs/{orgId}: one definition, so every
 * feature's organization routes check an organization's (and a member's) id alike.
 */
import { z } from "zod";

import { RowId } from "@hushlink/protocol";

export const OrgParams = z.object({ orgId: RowId });
export const MemberParams = OrgParams.extend({ userId: RowId });
