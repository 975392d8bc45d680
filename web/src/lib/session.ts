/**
 * Who is signed in: `GET /api/v1/auth/me` once at start, shared through a React context.
 */
import type { Me, Role } from "@hushlink/protocol";

export type { Me, Role };
export type OrgMembership = Me["orgs"][number];
