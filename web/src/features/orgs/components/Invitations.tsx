import { useCallback } from "react";

import { dashboardApi } from "../../dashboard/api";
import { onePage, usePagedList } from "../../dashboard/use-paged-list";
import { InviteForm } from "./InviteForm";
import { PendingInvitations } from "./PendingInvitations";

/**
 * The admins' part of the tab: the invitation form and the pending invitations, which reload as
 * soon as one was sent.
 */
export function Invitations({ orgId, orgName }: { orgId: string; orgName: string }) {
  const fetchPending = useCallback(() => onePage(dashboardApi.pendingInvitations(orgId)), [orgId]);
  const pending = usePagedList(fetchPending);
  return (
    <>
      <InviteForm orgId={orgId} orgName={orgName} onSent={() => void pending.reload()} />
      <PendingInvitations orgId={orgId} orgName={orgName} pending={pending} />
    </>
  );
}
