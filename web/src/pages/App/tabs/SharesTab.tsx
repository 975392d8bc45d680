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
import { EmptyState } from "../../../features/dashboard/components/EmptyState";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { RecipientLinks } from "../../../features/dashboard/components/RecipientLinks";
import { forgetLinks } from "../../../features/shares/kept-links";
import { StatusBadge } from "../../../features/dashboard/components/StatusBadge";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { formatShortDate, viewsUsed } from "../../../features/dashboard/format";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import { usePagedList } from "../../../features/dashboard/use-paged-list";
import { isApiError } from "../../../lib/api";
import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import {
  filterQuery,
  isFiltered,
  ListFilters,
  NO_FILTERS,
  type ListFilterValue,
} from "../../../features/dashboard/components/ListFilters";
import { dashboardError } from "../../../features/dashboard/errors";
import { formatBytes, formatDate, englishPlural } from "../../../lib/format";
import type { TabProps } from "./tab-props";

const PAGE_SIZE = 20;

const shareName = (share: ShareListItem) => share.name ?? "Untitled secret";

type Delivery = ShareListItem["recipients"][number]["delivery"];

const DELIVERY: Record<Delivery, { label: string; tone: string }> = {
  queued: { label: "Queued", tone: "muted" },
  sent: { label: "Sent", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};

/** SPEC F5: to whom the link was e-mailed, and how far each message got. */
function Recipients({ recipients }: { recipients: ShareListItem["recipients"] }) {
  return (
    <>
      <span className="recipients__caption" aria-hidden="true">
        E-mailed to
      </span>
      <ul className="recipients" aria-label="E-mailed to">
        {recipients.map((r) => (
          <li key={r.email} className="recipients__item" data-delivery={r.delivery}>
            <span className={`badge badge--${DELIVERY[r.delivery].tone}`}>
              {DELIVERY[r.delivery].label}
              <span className="visually-hidden">:</span>
            </span>
            <span className="recipients__email">{r.email}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** SPEC F5: the organization's shares, newest first, with their access logs and Delete. */
export function SharesTab({ me, org }: TabProps) {
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
          ? "There were no expired secrets to delete."
          : `${englishPlural(deleted, "expired secret")} deleted.`,
      );
      await paged.reload();
    } catch (error) {
      setPurge({ error: dashboardError(error) });
    }
  }
  const paged = usePagedList(fetchPage, (count) =>
    setAnnouncement(`${count} more secrets loaded.`),
  );
  const deleting = useConfirm<ShareListItem>();

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
      setAnnouncement(`“${shareName(share)}” was already gone.`);
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
    setAnnouncement(`“${shareName(share)}” was deleted.`);
    setLogVersion((v) => v + 1);
    return refocus;
  }

  return (
    <section ref={sectionRef} className="stack" aria-labelledby="shares-heading">
      <TabIntro headingId="shares-heading" title="Shared secrets">
        Everything shared in {org.name} while signed in. Names are visible to members only.
      </TabIntro>

      <ListFilters
        value={filters}
        onChange={setFilters}
        what="secrets"
        statuses={[
          { value: "active", label: "Active" },
          { value: "expired", label: "Expired" },
          { value: "viewed", label: "Viewed" },
          { value: "deleted", label: "Deleted" },
          { value: "locked", label: "Locked" },
        ]}
        actions={
          <ConfirmButton
            icon={<TrashIcon />}
            question={
              admin
                ? `Delete every expired secret of ${org.name}? Their links will say "does not exist" instead of "expired".`
                : `Delete all your expired secrets? Their links will say "does not exist" instead of "expired".`
            }
            confirmLabel="Yes, delete them"
            busy={purge === "busy"}
            busyLabel="Deleting…"
            onConfirm={deleteExpired}
          >
            Delete all expired
          </ConfirmButton>
        }
      />
      {typeof purge === "object" && (
        <p className="field__error" role="alert">
          {purge.error}
        </p>
      )}

      <PagedTable
        paged={paged}
        loadingLabel="Loading the shared secrets…"
        onRetry={() => void paged.reload(true)}
        empty={
          isFiltered(filters) ? (
            <EmptyState icon={<LockIcon />} title="No secrets match">
              Change the search or the filters to see more.
            </EmptyState>
          ) : (
            <EmptyState
              icon={<LockIcon />}
              title="No secrets shared yet"
              action={
                <a className="button button--primary" href="/">
                  <PlusIcon />
                  <span>Share a secret</span>
                </a>
              }
            >
              Secrets you share while signed in appear here, with who opened them and when.
            </EmptyState>
          )
        }
        caption={`Shared secrets of ${org.name}`}
        columns={["Name", "Created", "Expires", "Views", "Access", "Status"]}
        modifier="shares"
        renderRow={(share) => {
          const logOpen = openLog === share.id;
          const logId = `log-${share.id}`;
          return (
            <Fragment key={share.id}>
              <tr className="data-table__row" data-share-id={share.id}>
                <th scope="row" className="data-table__name">
                  {share.name ?? <span className="muted">Untitled secret</span>}
                  {share.fileCount !== undefined && share.fileCount > 0 && (
                    <span className="muted block-line share-files" data-testid="share-files">
                      {englishPlural(share.fileCount, "file")}, {formatBytes(share.fileBytes ?? 0)}
                    </span>
                  )}
                </th>
                <td data-label="Created">
                  <time dateTime={share.createdAt} title={formatDate(share.createdAt)}>
                    {formatShortDate(share.createdAt)}
                  </time>
                  {share.createdBy && share.createdBy !== me.user.email && (
                    <span className="muted block-line">by {share.createdBy}</span>
                  )}
                </td>
                <td data-label="Expires">
                  <time dateTime={share.expiresAt} title={formatDate(share.expiresAt)}>
                    {formatShortDate(share.expiresAt)}
                  </time>
                </td>
                <td data-label="Views" className="numeric">
                  {share.linkPerRecipient ? (
                    // One span: on phones the cell is a flex row of label and value.
                    <span>
                      {share.viewCount}
                      <span className="muted block-line">
                        {share.maxViews === null
                          ? "unlimited per link"
                          : `up to ${share.maxViews} per link`}
                      </span>
                    </span>
                  ) : (
                    viewsUsed(share.viewCount, share.maxViews)
                  )}
                </td>
                <td data-label="Access">
                  <div className="access-cell">
                    {share.recipientsOnly
                      ? "Recipients"
                      : share.access === "organization"
                        ? "Organization"
                        : share.recipients.length > 0
                          ? // E-mailed outside the organization: the server required a password.
                            "Link and password"
                          : "Anyone with the link"}
                    {share.linkPerRecipient ? (
                      <span className="muted block-line">
                        A link for each of {share.recipients.length}
                      </span>
                    ) : (
                      share.recipients.length > 0 && <Recipients recipients={share.recipients} />
                    )}
                  </div>
                </td>
                <td data-label="Status">
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
                    <span>Access log</span>
                    <span className="visually-hidden"> of {shareName(share)}</span>
                  </button>
                  {share.status === "active" && (
                    <button
                      type="button"
                      className="icon-button icon-button--danger"
                      aria-label={`Delete ${shareName(share)}`}
                      title="Delete"
                      onClick={() => deleting.ask(share)}
                    >
                      <TrashIcon />
                    </button>
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
                      label={`Recipients of ${shareName(share)}`}
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
        title="Delete this secret?"
        confirmLabel="Delete secret"
        busyLabel="Deleting…"
        onConfirm={() => void deleting.run(deleteShare)}
      >
        <p>
          “{deleting.target ? shareName(deleting.target) : ""}” is destroyed at once: its link stops
          working for everyone. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
