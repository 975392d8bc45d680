/**
 * A member's role in words. Only the signed-in pages show it, so its messages are in the
 * "account" catalog (i18n/signed-in/), which the share and reveal pages do not load.
 */
import type { Role } from "@hushlink/protocol";
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";

export const ROLE_LABEL: Record<Role, MessageDescriptor> = {
  admin: msg`Admin`,
  member: msg`Member`,
};
