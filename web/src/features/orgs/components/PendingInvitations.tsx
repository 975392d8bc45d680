import { useId, useRef, useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { Address } from "../../../components/Address";
import { Announcer } from "../../../components/Announcer";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { roleLabel } from "../../../lib/session";
import { dashboardApi, type PendingInvitation } from "../../dashboard/api";
import { ConfirmDialog } from "../../dashboard/components/ConfirmDialog";
import { PagedTable } from "../../dashboard/components/PagedTable";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { DateCell } from "../../dashboard/components/RowCells";
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
  const { t } = useLingui();
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
        t`The invitation to ${email} was sent again, with a new link valid for seven days. The link sent before no longer works.`,
      );
    } catch (caught) {
      setAnnouncement("");
      // An API error's message is already in the page's language (lib/api.ts).
      const reason = caught instanceof Error ? caught.message : null;
      setNotice(
        isApiError(caught, "invitation_not_found")
          ? t`The invitation to ${email} was no longer pending: it was accepted, cancelled or expired meanwhile.`
          : reason !== null
            ? t`Not sent: ${reason}`
            : t`Not sent. Try again.`,
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
      setAnnouncement(t`The invitation to ${email} was cancelled. Its link no longer works.`);
    } catch (caught) {
      if (!isApiError(caught, "invitation_not_found")) throw caught;
      // Accepted, expired or cancelled meanwhile (another admin, another tab): say so, and
      // show the list as it is now.
      setNotice(
        t`The invitation to ${email} was no longer pending: it was accepted, cancelled or expired meanwhile.`,
      );
    }
    await pending.reload();
    return refocus;
  }

  const invitee = cancelling.target?.email ?? "";
  return (
    <section ref={sectionRef} className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Pending invitations`}>
        <Trans>
          Sent and not accepted yet. Each link works once, for seven days. Resend one to mail a new
          link (the old one stops working); cancel one to make its link stop working at once.
        </Trans>
      </TabIntro>

      {notice && <Notice tone="info">{notice}</Notice>}

      <PagedTable
        paged={pending}
        loadingLabel={t`Loading the invitations…`}
        smallLoading
        empty={
          <p className="muted">
            <Trans>No invitations are waiting for an answer.</Trans>
          </p>
        }
        caption={t`Pending invitations to ${orgName}`}
        columns={[t`Invited address`, t`Role`, t`Invited by`, t`Link expires`]}
        renderRow={(invitation) => {
          const { email } = invitation;
          const sentOn = formatShortDate(invitation.createdAt);
          return (
            <tr key={invitation.id} className="data-table__row" data-invitation={invitation.email}>
              <th scope="row" className="data-table__name">
                <span className="member">
                  <span className="member__name">
                    <Address email={invitation.email} />
                  </span>
                  <span className="member__email">
                    <Trans>
                      Sent <time dateTime={invitation.createdAt}>{sentOn}</time>
                    </Trans>
                  </span>
                </span>
              </th>
              <td data-label={t`Role`}>{roleLabel(invitation.role)}</td>
              <td data-label={t`Invited by`}>
                {invitation.invitedBy ? (
                  <span className="break-anywhere">
                    {invitation.invitedBy.name ?? invitation.invitedBy.email}
                  </span>
                ) : (
                  <span className="muted">
                    <Trans>A former member</Trans>
                  </span>
                )}
              </td>
              <DateCell label={t`Link expires`} at={invitation.expiresAt} />
              <td className="data-table__actions">
                <button
                  type="button"
                  className="button button--danger-outline button--small"
                  onClick={() => cancelling.ask(invitation)}
                >
                  <TrashIcon />
                  <span>
                    <Trans>
                      Cancel
                      <span className="visually-hidden"> the invitation to {email}</span>
                    </Trans>
                  </span>
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  // aria-disabled while sending, not disabled, which drops the focus to <body>.
                  aria-disabled={resending === invitation.id || undefined}
                  onClick={() => {
                    if (resending !== invitation.id) void resend(invitation);
                  }}
                >
                  <span>
                    {resending === invitation.id ? (
                      <Trans>
                        Sending…
                        <span className="visually-hidden"> the invitation to {email}</span>
                      </Trans>
                    ) : (
                      <Trans>
                        Resend
                        <span className="visually-hidden"> the invitation to {email}</span>
                      </Trans>
                    )}
                  </span>
                </button>
              </td>
            </tr>
          );
        }}
      />

      <Announcer message={announcement} />

      <ConfirmDialog
        {...cancelling.dialog}
        title={t`Cancel this invitation?`}
        confirmLabel={t`Cancel invitation`}
        dismissLabel={t`Keep invitation`}
        busyLabel={t`Cancelling…`}
        onConfirm={() => void cancelling.run(cancel)}
      >
        <p>
          <Trans>
            The link sent to <strong className="break-anywhere">{invitee}</strong> stops working at
            once. You can invite them again later.
          </Trans>
        </p>
      </ConfirmDialog>
    </section>
  );
}
