import { Fragment, useCallback, useEffect, useRef, useState } from "react";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { EyeIcon, MailIcon, TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { plural } from "../../../lib/format";
import { useCopy } from "../../../lib/use-copy";
import type { TabProps } from "../../../pages/App/tabs";
import { ConfirmDialog } from "../../dashboard/components/ConfirmDialog";
import { dashboardError } from "../../dashboard/errors";
import { formatShortDate } from "../../dashboard/format";
import { requestsApi, type RequestListItem } from "../api";
import { NewRequestForm, type CreatedRequest } from "./NewRequestForm";
import { RequestAnswer } from "./RequestAnswer";
import { RequestCreated } from "./RequestCreated";

type ListState =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  /** `at`: when the list was loaded, to tell open requests from expired ones. */
  | { kind: "ready"; items: RequestListItem[]; nextCursor: string | null; at: number };

type Reveal =
  | { kind: "loading" }
  | { kind: "shown"; value: string; submittedAt: string }
  | { kind: "failed"; message: string };

type RowStatus = "open" | "answered" | "expired";

const STATUS: Record<RowStatus, { label: string; tone: string }> = {
  open: { label: "Waiting", tone: "info" },
  answered: { label: "Answered", tone: "success" },
  expired: { label: "Expired", tone: "muted" },
};

function rowStatus(item: RequestListItem, now: number): RowStatus {
  if (item.status === "fulfilled") return "answered";
  return Date.parse(item.expiresAt) <= now ? "expired" : "open";
}

const requestName = (item: { name: string | null }) => item.name ?? "Untitled request";
const requestUrl = (id: string) => `${window.location.origin}/r/${encodeURIComponent(id)}`;

/**
 * `/app/requests` (SPEC F6): ask someone for a secret through a link, see which requests were
 * answered, reveal an answer (the server records each reveal), delete a request.
 */
export function RequestsTab({ org }: TabProps) {
  const [created, setCreated] = useState<CreatedRequest | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [list, setList] = useState<ListState>({ kind: "loading" });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [reveals, setReveals] = useState<Record<string, Reveal>>({});
  const [deleting, setDeleting] = useState<RequestListItem | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const tableRef = useRef<HTMLDivElement>(null);

  const fetchFirst = useCallback(async (): Promise<ListState> => {
    try {
      const page = await requestsApi.list({ orgId: org.id });
      return { kind: "ready", items: page.items, nextCursor: page.nextCursor, at: Date.now() };
    } catch (error) {
      return { kind: "failed", message: dashboardError(error) };
    }
  }, [org.id]);

  const reload = useCallback(() => void fetchFirst().then(setList), [fetchFirst]);

  useEffect(() => {
    let cancelled = false;
    void fetchFirst().then((next) => {
      if (!cancelled) setList(next);
    });
    return () => {
      cancelled = true;
    };
  }, [fetchFirst]);

  async function loadMore() {
    if (list.kind !== "ready" || !list.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await requestsApi.list({ orgId: org.id, cursor: list.nextCursor });
      setList({
        kind: "ready",
        items: [...list.items, ...page.items],
        nextCursor: page.nextCursor,
        at: Date.now(),
      });
      setAnnouncement(`${plural(page.items.length, "more request")} loaded.`);
    } catch (error) {
      setMoreError(dashboardError(error));
    } finally {
      setLoadingMore(false);
    }
  }

  const setReveal = (id: string, reveal: Reveal | null) =>
    setReveals((current) => {
      const next = { ...current };
      if (reveal) next[id] = reveal;
      else delete next[id];
      return next;
    });

  async function reveal(item: RequestListItem) {
    setReveal(item.id, { kind: "loading" });
    try {
      const answer = await requestsApi.reveal(item.id);
      setReveal(item.id, { kind: "shown", ...answer });
    } catch (error) {
      if (isApiError(error, "request_not_found")) {
        setReveal(item.id, {
          kind: "failed",
          message:
            "The answer could not be revealed: only the member who created the request can read it, and only until the request expires or is deleted.",
        });
      } else {
        setReveal(item.id, { kind: "failed", message: dashboardError(error) });
      }
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      await requestsApi.remove(deleting.id);
    } catch (error) {
      if (!isApiError(error, "request_not_found")) {
        setDeleteError(dashboardError(error));
        setDeleteBusy(false);
        return;
      }
    }
    const gone = deleting;
    setList((current) =>
      current.kind === "ready"
        ? { ...current, items: current.items.filter((item) => item.id !== gone.id) }
        : current,
    );
    setReveal(gone.id, null);
    setAnnouncement(`“${requestName(gone)}” was deleted.`);
    setDeleting(null);
    setDeleteBusy(false);
    // The row (and its buttons) is gone; keep focus in the table.
    tableRef.current?.focus();
  }

  return (
    <div className="stack">
      <section className="panel stack stack--tight" aria-labelledby="new-request-heading">
        {created ? (
          <RequestCreated
            request={created}
            orgName={org.name}
            onAnother={() => {
              setCreated(null);
              setFormKey((k) => k + 1);
            }}
          />
        ) : (
          <>
            <div>
              <h2 id="new-request-heading" className="section-title">
                Request a secret
              </h2>
              <p className="field__hint">
                Get a link that asks someone for a password, key or note. They type it once; you
                read it here.
              </p>
            </div>
            <NewRequestForm
              key={formKey}
              org={org}
              onCreated={(request) => {
                setCreated(request);
                reload();
              }}
            />
          </>
        )}
      </section>

      <section className="stack stack--tight" aria-labelledby="requests-heading">
        <div className="tab-intro">
          <div>
            <h2 id="requests-heading" className="section-title">
              Requests
            </h2>
            <p className="field__hint">
              Your requests in {org.name}, newest first. Revealing an answer is recorded.
            </p>
          </div>
        </div>

        {list.kind === "loading" && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the requests…
          </p>
        )}

        {list.kind === "failed" && (
          <Notice tone="danger" role="alert">
            <p>{list.message}</p>
            <p>
              <button
                type="button"
                className="button button--small button--secondary"
                onClick={reload}
              >
                Try again
              </button>
            </p>
          </Notice>
        )}

        {list.kind === "ready" && list.items.length === 0 && (
          <div className="empty-state">
            <div className="status-page__icon status-page__icon--muted">
              <MailIcon />
            </div>
            <h3 className="section-title">No requests yet</h3>
            <p className="field__hint">Requests you create appear here, and so do their answers.</p>
          </div>
        )}

        {list.kind === "ready" && list.items.length > 0 && (
          <div className="data-table-wrap" ref={tableRef} tabIndex={-1}>
            <table className="data-table data-table--cards" data-testid="requests-table">
              <caption className="visually-hidden">Secret requests of {org.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Who can answer</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((item) => {
                  const status = rowStatus(item, list.at);
                  const shown = reveals[item.id];
                  const detailId = `answer-${item.id}`;
                  return (
                    <Fragment key={item.id}>
                      <tr className="data-table__row" data-request-id={item.id}>
                        <th scope="row" className="data-table__name">
                          {item.name ?? <span className="muted">Untitled request</span>}
                        </th>
                        <td data-label="Created">
                          <time dateTime={item.createdAt}>{formatShortDate(item.createdAt)}</time>
                        </td>
                        <td data-label="Expires">
                          <time dateTime={item.expiresAt}>{formatShortDate(item.expiresAt)}</time>
                        </td>
                        <td data-label="Who can answer">
                          {item.access === "organization" ? "Organization" : "Anyone with the link"}
                        </td>
                        <td data-label="Status">
                          <span
                            className={`badge badge--${STATUS[status].tone}`}
                            data-status={status}
                          >
                            {STATUS[status].label}
                          </span>
                          {item.submittedAt && (
                            <span className="data-table__sub">
                              {formatShortDate(item.submittedAt)}
                            </span>
                          )}
                        </td>
                        <td className="data-table__actions">
                          {status === "answered" && item.mine && (
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              aria-expanded={shown?.kind === "shown"}
                              aria-controls={shown ? detailId : undefined}
                              disabled={shown?.kind === "loading"}
                              onClick={() =>
                                shown?.kind === "shown"
                                  ? setReveal(item.id, null)
                                  : void reveal(item)
                              }
                            >
                              {shown?.kind === "loading" ? (
                                <span className="spinner" aria-hidden="true" />
                              ) : (
                                <EyeIcon />
                              )}
                              <span>{shown?.kind === "shown" ? "Hide" : "Reveal"}</span>
                              <span className="visually-hidden">
                                {" "}
                                the answer to {requestName(item)}
                              </span>
                            </button>
                          )}
                          {status === "open" && (
                            <CopyLinkButton url={requestUrl(item.id)} name={requestName(item)} />
                          )}
                          <button
                            type="button"
                            className="icon-button icon-button--danger"
                            aria-label={`Delete ${requestName(item)}`}
                            title="Delete"
                            onClick={() => {
                              setDeleteError(null);
                              setDeleting(item);
                            }}
                          >
                            <TrashIcon />
                          </button>
                        </td>
                      </tr>
                      {shown && shown.kind !== "loading" && (
                        <tr className="data-table__detail">
                          <td colSpan={6} id={detailId}>
                            {shown.kind === "shown" ? (
                              <RequestAnswer value={shown.value} submittedAt={shown.submittedAt} />
                            ) : (
                              <Notice tone="danger" role="alert">
                                {shown.message}
                              </Notice>
                            )}
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
      </section>

      <ConfirmDialog
        open={deleting !== null}
        title="Delete this request?"
        confirmLabel="Delete request"
        busyLabel="Deleting…"
        busy={deleteBusy}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      >
        <p>
          “{deleting ? requestName(deleting) : ""}” is deleted at once, with its answer if it has
          one. Its link stops working. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** Copies an open request's link again (it is just the page address with the request's id). */
function CopyLinkButton({ url, name }: { url: string; name: string }) {
  const { state, copy } = useCopy();
  return (
    <>
      <CopyButton
        state={state}
        onCopy={() => void copy(url)}
        label={`Copy the link of ${name}`}
        variant="secondary"
      />
      <CopyAnnouncement state={state} what="Request link" />
    </>
  );
}
