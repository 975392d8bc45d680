import { plural, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { Fragment, useCallback, useEffect, useRef, useState } from "react";

import { Announcer } from "../../../components/Announcer";
import { HistoryIcon, LockIcon, PlusIcon, TrashIcon } from "../../../components/icons";
import {
  dashboardApi,
  type ShareListItem,
  type ShareRecipient,
} from "../../../features/dashboard/api";
import { AccessLog } from "../../../features/dashboard/components/AccessLog";
import { ConfirmDialog } from "../../../features/dashboard/components/ConfirmDialog";
import { DeleteRowButton } from "../../../features/dashboard/components/DeleteRowButton";
import { ListEmpty } from "../../../features/dashboard/components/ListEmpty";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { RecipientLinks } from "../../../features/dashboard/components/RecipientLinks";
import { DateCell, NameCell, ShortDate } from "../../../features/dashboard/components/RowCells";
import { forgetLinks } from "../../../features/shares/kept-links";
import { StatusBadge } from "../../../features/dashboard/components/StatusBadge";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { viewsUsed } from "../../../features/dashboard/format";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import { useHasExpired } from "../../../features/dashboard/use-has-expired";
import { usePagedList } from "../../../features/dashboard/use-paged-list";
import { isApiError } from "../../../lib/api";
import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import {
  filterQuery,
  ListFilters,
  NO_FILTERS,
  type ListFilterValue,
} from "../../../features/dashboard/components/ListFilters";
import { dashboardError } from "../../../features/dashboard/errors";
import { filesAndSize, Recipients } from "./share-row-parts";
import type { TabProps } from "./tab-props";

const PAGE_SIZE = 20;

const shareName = (share: ShareListItem) => share.name ?? t`Untitled secret`;

/** SPEC F5: the organization's shares, newest first, with their access logs and Delete. */
export function SharesTab({ me, org }: TabProps) {
  const { t } = useLingui();
  const orgName = org.name;
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const sectionRef = useRef<HTMLElement>(null);
  const [filters, setFilters] = useState<ListFilterValue>(NO_FILTERS);
  const [purge, setPurge] = useState<ActionState>("idle");
  const fetchPage = useCallback(
    (cursor: string | null) => dashboardApi.shares(org.id, cursor, PAGE_SIZE, filterQuery(filters)),
    [org.id, filters],
  );
  const admin = org.role === "admin";

  async function deleteExpired() {
    setPurge("busy");
    try {
      const { deleted } = await dashboardApi.deleteExpiredShares(org.id);
      setPurge("idle");
      setAnnouncement(
        deleted === 0
          ? t`There were no expired secrets to delete.`
          : plural(deleted, {
              one: "# expired secret deleted.",
              other: "# expired secrets deleted.",
            }),
      );
      await paged.reload();
    } catch (error) {
      setPurge({ error: dashboardError(error) });
    }
  }
  const paged = usePagedList(fetchPage, (count) =>
    setAnnouncement(
      plural(count, { one: "# more secret loaded.", other: "# more secrets loaded." }),
    ),
  );
  const deleting = useConfirm<ShareListItem>();
  const hasExpired = useHasExpired(org.id, admin, paged.list.kind === "ready" ? paged.list.at : 0);

  // While an e-mail is queued (just created, resent, retried), the list is read again every few
  // seconds so its line turns "sent" or "failed" by itself; at most a few minutes.
  const queued =
    paged.list.kind === "ready" &&
    paged.list.items.some((s) => s.recipients.some((r) => r.delivery === "queued"));
  const polls = useRef(0);
  useEffect(() => {
    if (!queued || polls.current >= 60) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      void paged.reload();
    }, 2500);
    return () => clearTimeout(timer);
  });

  function recipientChanged(
    share: ShareListItem,
    recipientId: string,
    change?: (r: ShareRecipient) => ShareRecipient,
  ) {
    polls.current = 0;
    if (!change) return void paged.reload();
    paged.update((items) =>
      items.map((s) =>
        s.id === share.id
          ? { ...s, recipients: s.recipients.map((r) => (r.id === recipientId ? change(r) : r)) }
          : s,
      ),
    );
    setLogVersion((v) => v + 1);
  }

  async function deleteShare(share: ShareListItem) {
    // The row stays, without its Delete button: focus goes to what the row still offers.
    const refocus = refocusAfter(sectionRef.current, `[data-share-id="${CSS.escape(share.id)}"]`);
    try {
      await dashboardApi.deleteShare(share.id);
    } catch (error) {
      if (!isApiError(error, "share_gone")) throw error;
      // Gone meanwhile (viewed out, expired, deleted elsewhere): show the list as it is now.
      const name = shareName(share);
      setAnnouncement(t`“${name}” was already gone.`);
      await paged.reload();
      return refocus;
    }
    forgetLinks(me.user.id, share.id);
    paged.update((items) =>
      items.map((s) =>
        s.id === share.id
          ? {
              ...s,
              status: "deleted",
              recipients: s.recipients.map((r) =>
                r.status === "active" ? { ...r, status: "deleted" } : r,
              ),
            }
          : s,
      ),
    );
    const name = shareName(share);
    setAnnouncement(t`“${name}” was deleted.`);
    setLogVersion((v) => v + 1);
    return refocus;
  }

  const deletingName = deleting.target ? shareName(deleting.target) : "";

  return (
    <section ref={sectionRef} className="stack" aria-labelledby="shares-heading">
      <TabIntro headingId="shares-heading" title={t`Shared secrets`}>
        <Trans>
          Everything shared in {orgName} while signed in. Names are visible to members only.
        </Trans>
      </TabIntro>

      <ListFilters
        value={filters}
        onChange={setFilters}
        searchLabel={t`Search secrets by name`}
        statuses={[
          { value: "active", label: t`Active` },
          { value: "expired", label: t`Expired` },
          { value: "viewed", label: t`Viewed` },
          { value: "deleted", label: t`Deleted` },
          { value: "locked", label: t`Locked` },
        ]}
        actions={
          hasExpired && (
            <ConfirmButton
              icon={<TrashIcon />}
              question={
                admin
                  ? t`Delete every expired secret of ${orgName}? Their links will say "does not exist" instead of "expired".`
                  : t`Delete all your expired secrets? Their links will say "does not exist" instead of "expired".`
              }
              confirmLabel={t`Yes, delete them`}
              busy={purge === "busy"}
              busyLabel={t`Deleting…`}
              onConfirm={deleteExpired}
            >
              <Trans>Delete all expired</Trans>
            </ConfirmButton>
          )
        }
      />
      {typeof purge === "object" && (
        <p className="field__error" role="alert">
          {purge.error}
        </p>
      )}

      <PagedTable
        paged={paged}
        loadingLabel={t`Loading the shared secrets…`}
        onRetry={() => void paged.reload(true)}
        empty={
          <ListEmpty
            filters={filters}
            icon={<LockIcon />}
            noMatches={t`No secrets match`}
            title={t`No secrets shared yet`}
            action={
              <a className="button button--primary" href="/">
                <PlusIcon />
                <span>
                  <Trans>Share a secret</Trans>
                </span>
              </a>
            }
          >
            <Trans>
              Secrets you share while signed in appear here, with who opened them and when.
            </Trans>
          </ListEmpty>
        }
        caption={t`Shared secrets of ${orgName}`}
        columns={[t`Name`, t`Created`, t`Expires`, t`Views`, t`Access`, t`Status`]}
        modifier="shares"
        renderRow={(share) => {
          const logOpen = openLog === share.id;
          const logId = `log-${share.id}`;
          const name = shareName(share);
          const { createdBy, maxViews } = share;
          const recipientCount = share.recipients.length;
          return (
            <Fragment key={share.id}>
              <tr className="data-table__row" data-share-id={share.id}>
                <NameCell name={share.name} untitled={t`Untitled secret`}>
                  {share.fileCount !== undefined && share.fileCount > 0 && (
                    <span className="muted block-line share-files" data-testid="share-files">
                      {filesAndSize(share.fileCount, share.fileBytes ?? 0)}
                    </span>
                  )}
                </NameCell>
                <td data-label={t`Created`}>
                  <ShortDate at={share.createdAt} full />
                  {createdBy && createdBy !== me.user.email && (
                    <span className="muted block-line">
                      <Trans>by {createdBy}</Trans>
                    </span>
                  )}
                </td>
                <DateCell label={t`Expires`} at={share.expiresAt} full />
                <td data-label={t`Views`} className="numeric">
                  {share.linkPerRecipient ? (
                    // One span: on phones the cell is a flex row of label and value.
                    <span>
                      {share.viewCount}
                      <span className="muted block-line">
                        {share.maxViews === null
                          ? t`unlimited per link`
                          : t`up to ${maxViews} per link`}
                      </span>
                    </span>
                  ) : (
                    viewsUsed(share.viewCount, share.maxViews)
                  )}
                </td>
                <td data-label={t`Access`}>
                  <div className="access-cell">
                    {share.recipientsOnly
                      ? t`Recipients`
                      : share.access === "organization"
                        ? t`Organization`
                        : share.recipients.length > 0
                          ? // E-mailed outside the organization: the server required a password.
                            t`Link and password`
                          : t`Anyone with the link`}
                    {share.linkPerRecipient ? (
                      <span className="muted block-line">
                        <Trans>A link for each of {recipientCount}</Trans>
                      </span>
                    ) : (
                      share.recipients.length > 0 && <Recipients recipients={share.recipients} />
                    )}
                  </div>
                </td>
                <td data-label={t`Status`}>
                  <StatusBadge status={share.status} />
                </td>
                <td className="data-table__actions">
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    aria-expanded={logOpen}
                    aria-controls={logOpen ? logId : undefined}
                    onClick={() => setOpenLog(logOpen ? null : share.id)}
                  >
                    <HistoryIcon />
                    <Trans>
                      <span>Access log</span>
                      <span className="visually-hidden"> of {name}</span>
                    </Trans>
                  </button>
                  {share.status === "active" && (
                    <DeleteRowButton name={name} onClick={() => deleting.ask(share)} />
                  )}
                </td>
              </tr>
              {share.linkPerRecipient && (
                <tr className="data-table__detail data-table__detail--recipients">
                  <td colSpan={7}>
                    <RecipientLinks
                      shareId={share.id}
                      userId={me.user.id}
                      recipients={share.recipients}
                      label={t`Recipients of ${name}`}
                      onChanged={(recipientId, change) =>
                        recipientChanged(share, recipientId, change)
                      }
                      announce={setAnnouncement}
                    />
                  </td>
                </tr>
              )}
              {logOpen && (
                <tr className="data-table__detail">
                  <td colSpan={7} id={logId}>
                    <AccessLog shareId={share.id} version={logVersion} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        }}
      />

      <Announcer message={announcement} />

      <ConfirmDialog
        {...deleting.dialog}
        title={t`Delete this secret?`}
        confirmLabel={t`Delete secret`}
        busyLabel={t`Deleting…`}
        onConfirm={() => void deleting.run(deleteShare)}
      >
        <p>
          <Trans>
            “{deletingName}” is destroyed at once: its link stops working for everyone. This cannot
            be undone.
          </Trans>
        </p>
      </ConfirmDialog>
    </section>
  );
}
