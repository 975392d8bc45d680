import { Fragment, useCallback, useEffect, useRef, useState } from "react";

import { HistoryIcon, LockIcon, PlusIcon, TrashIcon } from "../../components/icons";
import { Notice } from "../../components/Notice";
import { dashboardApi, type ShareListItem } from "../../features/dashboard/api";
import { AccessLog } from "../../features/dashboard/components/AccessLog";
import { ConfirmDialog } from "../../features/dashboard/components/ConfirmDialog";
import { StatusBadge } from "../../features/dashboard/components/StatusBadge";
import { dashboardError } from "../../features/dashboard/errors";
import { formatShortDate, viewsUsed } from "../../features/dashboard/format";
import { isApiError } from "../../lib/api";
import { formatDate } from "../../lib/format";
import type { TabProps } from "./tabs";

const PAGE_SIZE = 20;

type ListState =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; items: ShareListItem[]; nextCursor: string | null };

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
  const [list, setList] = useState<ListState>({ kind: "loading" });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [deleting, setDeleting] = useState<ShareListItem | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const tableRef = useRef<HTMLDivElement>(null);

  const fetchFirst = useCallback(async (): Promise<ListState> => {
    try {
      const page = await dashboardApi.shares(org.id, null, PAGE_SIZE);
      return { kind: "ready", items: page.items, nextCursor: page.nextCursor };
    } catch (error) {
      return { kind: "failed", message: dashboardError(error) };
    }
  }, [org.id]);

  useEffect(() => {
    let cancelled = false;
    void fetchFirst().then((next) => {
      if (!cancelled) setList(next);
    });
    return () => {
      cancelled = true;
    };
  }, [fetchFirst]);

  async function loadFirst() {
    setList({ kind: "loading" });
    setList(await fetchFirst());
  }

  async function loadMore() {
    if (list.kind !== "ready" || !list.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await dashboardApi.shares(org.id, list.nextCursor, PAGE_SIZE);
      setList({
        kind: "ready",
        items: [...list.items, ...page.items],
        nextCursor: page.nextCursor,
      });
      setAnnouncement(`${page.items.length} more secrets loaded.`);
    } catch (error) {
      setMoreError(dashboardError(error));
    } finally {
      setLoadingMore(false);
    }
  }

  function setStatus(id: string, status: ShareListItem["status"]) {
    setList((current) =>
      current.kind === "ready"
        ? { ...current, items: current.items.map((s) => (s.id === id ? { ...s, status } : s)) }
        : current,
    );
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await dashboardApi.deleteShare(deleting.id);
      setStatus(deleting.id, "deleted");
      setAnnouncement(`“${shareName(deleting)}” was deleted.`);
      setDeleting(null);
      setLogVersion((v) => v + 1);
      // The row's Delete button is gone; keep focus in the table.
      tableRef.current?.focus();
    } catch (error) {
      if (isApiError(error, "share_gone")) {
        setDeleting(null);
        setAnnouncement(`“${shareName(deleting)}” was already gone.`);
        await loadFirst();
      } else {
        setDeleteError(dashboardError(error));
      }
    } finally {
      setDeleteBusy(false);
    }
  }

  return (
    <section className="stack" aria-labelledby="shares-heading">
      <div className="tab-intro">
        <div>
          <h2 id="shares-heading" className="section-title">
            Shared secrets
          </h2>
          <p className="field__hint">
            Everything shared in {org.name} while signed in. Names are visible to members only.
          </p>
        </div>
      </div>

      {list.kind === "loading" && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading the shared secrets…
        </p>
      )}

      {list.kind === "failed" && (
        <Notice tone="danger" role="alert">
          <p>{list.message}</p>
          <p>
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => void loadFirst()}
            >
              Try again
            </button>
          </p>
        </Notice>
      )}

      {list.kind === "ready" && list.items.length === 0 && (
        <div className="empty-state">
          <div className="status-page__icon status-page__icon--muted">
            <LockIcon />
          </div>
          <h3 className="section-title">No secrets shared yet</h3>
          <p className="field__hint">
            Secrets you share while signed in appear here, with who opened them and when.
          </p>
          <a className="button button--primary" href="/">
            <PlusIcon />
            <span>Share a secret</span>
          </a>
        </div>
      )}

      {list.kind === "ready" && list.items.length > 0 && (
        <div className="data-table-wrap" ref={tableRef} tabIndex={-1}>
          <table className="data-table data-table--cards data-table--shares">
            <caption className="visually-hidden">Shared secrets of {org.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Views</th>
                <th scope="col">Access</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((share) => {
                const logOpen = openLog === share.id;
                const logId = `log-${share.id}`;
                return (
                  <Fragment key={share.id}>
                    <tr className="data-table__row" data-share-id={share.id}>
                      <th scope="row" className="data-table__name">
                        {share.name ?? <span className="muted">Untitled secret</span>}
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
                        {viewsUsed(share.viewCount, share.maxViews)}
                      </td>
                      <td data-label="Access">
                        <div className="access-cell">
                          {share.recipientsOnly
                            ? "Recipients"
                            : share.access === "organization"
                              ? "Organization"
                              : "Anyone"}
                          {share.recipients.length > 0 && (
                            <Recipients recipients={share.recipients} />
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
                            onClick={() => {
                              setDeleteError(null);
                              setDeleting(share);
                            }}
                          >
                            <TrashIcon />
                          </button>
                        )}
                      </td>
                    </tr>
                    {logOpen && (
                      <tr className="data-table__detail">
                        <td colSpan={7} id={logId}>
                          <AccessLog shareId={share.id} version={logVersion} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {list.kind === "ready" && list.nextCursor && (
        <div className="load-more">
          <button
            type="button"
            className="button button--secondary"
            disabled={loadingMore}
            onClick={() => void loadMore()}
          >
            {loadingMore && <span className="spinner" aria-hidden="true" />}
            <span>{loadingMore ? "Loading…" : "Load more"}</span>
          </button>
          {moreError && (
            <p className="field__error" role="alert">
              {moreError}
            </p>
          )}
        </div>
      )}

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this secret?"
        confirmLabel="Delete secret"
        busyLabel="Deleting…"
        busy={deleteBusy}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      >
        <p>
          “{deleting ? shareName(deleting) : ""}” is destroyed at once: its link stops working for
          everyone. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
