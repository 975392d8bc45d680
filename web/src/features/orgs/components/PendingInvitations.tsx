import { useId, useRef, useState } from "react";

import { Announcer } from "../../../components/Announcer";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { roleLabel } from "../../../lib/session";
import { dashboardApi, type PendingInvitation } from "../../dashboard/api";
import { ConfirmDialog } from "../../dashboard/components/ConfirmDialog";
import { PagedTable } from "../../dashboard/components/PagedTable";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { formatShortDate } from "../../dashboard/format";
import { refocusAfter } from "../../dashboard/refocus";
import { useConfirm } from "../../dashboard/use-confirm";
import type { PagedListHandle } from "../../dashboard/use-paged-list";

/**
 * Invitations sent and not accepted yet (admins only). Cancelling one makes its link stop working
 * at once; the invitee sees the page for an invitation that does not work.
 */
export function PendingInvitations({
  orgId,
  orgName,
  pending,
}: {
  orgId: string;
  orgName: string;
  pending: PagedListHandle<PendingInvitation>;
}) {
  const ids = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const cancelling = useConfirm<PendingInvitation>();
  const sectionRef = useRef<HTMLElement>(null);
  const [resending, setResending] = useState<string | null>(null);

  /** Mails the invitation again with a new link (the old one stops working). */
  async function resend({ id, email }: PendingInvitation) {
    setResending(id);
    try {
      await dashboardApi.resendInvitation(orgId, id);
      setNotice(null);
      setAnnouncement(
        `The invitation to ${email} was sent again, with a new link valid for seven days. The link sent before no longer works.`,
      );
    } catch (caught) {
      setAnnouncement("");
      setNotice(
        isApiError(caught, "invitation_not_found")
          ? `The invitation to ${email} was no longer pending: it was accepted, cancelled or expired meanwhile.`
          : isApiError(caught, "mail_limit")
            ? `Not sent: ${caught.message}`
            : caught instanceof Error
              ? `Not sent: ${caught.message}`
              : "Not sent. Try again.",
      );
    } finally {
      setResending(null);
    }
    await pending.reload();
  }

  async function cancel({ id, email }: PendingInvitation) {
    const refocus = refocusAfter(sectionRef.current, `[data-invitation="${CSS.escape(email)}"]`);
    try {
      await dashboardApi.cancelInvitation(orgId, id);
      setNotice(null);
      setAnnouncement(`The invitation to ${email} was cancelled. Its link no longer works.`);
    } catch (caught) {
      if (!isApiError(caught, "invitation_not_found")) throw caught;
      // Accepted, expired or cancelled meanwhile (another admin, another tab): say so, and
      // show the list as it is now.
      setNotice(
        `The invitation to ${email} was no longer pending: it was accepted, cancelled or expired meanwhile.`,
      );
    }
    await pending.reload();
    return refocus;
  }

  return (
    <section ref={sectionRef} className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title="Pending invitations">
        Sent and not accepted yet. Each link works once, for seven days. Resend one to mail a new
        link (the old one stops working); cancel one to make its link stop working at once.
      </TabIntro>

      {notice && <Notice tone="info">{notice}</Notice>}

      <PagedTable
        paged={pending}
        loadingLabel="Loading the invitations…"
        smallLoading
        empty={<p className="muted">No invitations are waiting for an answer.</p>}
        caption={`Pending invitations to ${orgName}`}
        columns={["Invited address", "Role", "Invited by", "Link expires"]}
        renderRow={(invitation) => (
          <tr key={invitation.id} className="data-table__row" data-invitation={invitation.email}>
            <th scope="row" className="data-table__name">
              <span className="member">
                <span className="member__name">{invitation.email}</span>
                <span className="member__email">
                  Sent{" "}
                  <time dateTime={invitation.createdAt}>
                    {formatShortDate(invitation.createdAt)}
                  </time>
                </span>
              </span>
            </th>
            <td data-label="Role">{roleLabel(invitation.role)}</td>
            <td data-label="Invited by">
              {invitation.invitedBy ? (
                <span className="break-anywhere">
                  {invitation.invitedBy.name ?? invitation.invitedBy.email}
                </span>
              ) : (
                <span className="muted">A former member</span>
              )}
            </td>
            <td data-label="Link expires">
              <time dateTime={invitation.expiresAt}>{formatShortDate(invitation.expiresAt)}</time>
            </td>
            <td className="data-table__actions">
              <button
                type="button"
                className="button button--danger-outline button--small"
                onClick={() => cancelling.ask(invitation)}
              >
                <TrashIcon />
                <span>
                  Cancel
                  <span className="visually-hidden"> the invitation to {invitation.email}</span>
                </span>
              </button>{" "}
              <button
                type="button"
                className="button button--secondary button--small"
                disabled={resending === invitation.id}
                onClick={() => void resend(invitation)}
              >
                <span>
                  {resending === invitation.id ? "Sending…" : "Resend"}
                  <span className="visually-hidden"> the invitation to {invitation.email}</span>
                </span>
              </button>
            </td>
          </tr>
        )}
      />

      <Announcer message={announcement} />

      <ConfirmDialog
        {...cancelling.dialog}
        title="Cancel this invitation?"
        confirmLabel="Cancel invitation"
        dismissLabel="Keep invitation"
        busyLabel="Cancelling…"
        onConfirm={() => void cancelling.run(cancel)}
      >
        <p>
          The link sent to{" "}
          <strong className="break-anywhere">{cancelling.target?.email ?? ""}</strong> stops working
          at once. You can invite them again later.
        </p>
      </ConfirmDialog>
    </section>
  );
}
