/**
 * Answers of the organization routes that the shared protocol package does not describe yet.
 * They extend SPEC §4 (pending invitations); nothing here carries an invitation's token.
 */
import { z } from "zod";

import { Role } from "@hushlink/protocol";

export const PendingInvitation = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  /** Absent when the admin who sent it has deleted their account. */
  invitedBy: z
    .object({ userId: z.string(), email: z.string(), name: z.string().nullable() })
    .optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type PendingInvitation = z.infer<typeof PendingInvitation>;

export const PendingInvitationList = z.object({ items: z.array(PendingInvitation) });
export type PendingInvitationList = z.infer<typeof PendingInvitationList>;
