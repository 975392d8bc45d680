import { plural, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { Fragment, useCallback, useRef, useState } from "react";

import { Announcer } from "../../../components/Announcer";
import { EyeIcon, MailIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { useLoaded } from "../../../lib/use-loaded";
import { CopyLinkButton, openError, RequestsIntro, rowStatus, STATUS } from "./request-row-parts";
import type { TabProps } from "./tab-props";
import { ConfirmDialog } from "../../../features/dashboard/components/ConfirmDialog";
import { DeleteRowButton } from "../../../features/dashboard/components/DeleteRowButton";
import { ListEmpty } from "../../../features/dashboard/components/ListEmpty";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { DateCell, NameCell } from "../../../features/dashboard/components/RowCells";
import { dashboardError } from "../../../features/dashboard/errors";
import { formatShortDate } from "../../../features/dashboard/format";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import {
  filterQuery,
  ListFilters,
  NO_FILTERS,
  type ListFilterValue,
} from "../../../features/dashboard/components/ListFilters";
import { usePagedList } from "../../../features/dashboard/use-paged-list";
import { requestsApi, type RequestListItem } from "../../../features/requests/api";
import {
  NewRequestForm,
  type CreatedRequest,
} from "../../../features/requests/components/NewRequestForm";
import { RequestAnswer } from "../../../features/requests/components/RequestAnswer";
import { RequestCreated } from "../../../features/requests/components/RequestCreated";
import { ReadingLinkForm } from "../../../features/requests/components/ReadingLinkForm";
import { openEndToEndRequest, type AnswerFiles } from "../../../features/requests/e2e";
import { forgetRequest, keptRequests, type KeptRequest } from "../../../features/requests/kept";

type Reveal =
  | { kind: "loading" }
  | { kind: "shown"; value: string; submittedAt: string | null; files?: AnswerFiles | null }
  /** End-to-end, and this browser does not keep its reading secret: ask for the reading link. */
  | { kind: "ask"; error: string | null }
  | { kind: "failed"; message: string };

const requestName = (item: { name: string | null }) => item.name ?? t`Untitled request`;
const requestUrl = (id: string) => `${window.location.origin}/r/${encodeURIComponent(id)}`;

/**
 * `/app/requests` (SPEC F6, F13): ask someone for a secret through a link, see which requests
 * were answered, open an answer, delete a request. New requests are end-to-end: their answers
 * open in this browser with the reading secret it keeps, or with the reading link. Answers to
 * older requests are revealed by the server, which records each reveal.
 */
export function RequestsTab({ org }: TabProps) {
  const { t, i18n } = useLingui();
  const orgName = org.name;
  // A plain member's list holds only their own requests: no filter by creator to offer.
  const admin = org.role === "admin";
  const [created, setCreated] = useState<CreatedRequest | null>(null);
  const backToForm = useRef(false);
  const [formKey, setFormKey] = useState(0);
  const [reveals, setReveals] = useState<Record<string, Reveal>>({});
  const [announcement, setAnnouncement] = useState("");
  const sectionRef = useRef<HTMLElement>(null);
  const [filters, setFilters] = useState<ListFilterValue>(NO_FILTERS);
  const fetchPage = useCallback(
    (cursor: string | null) =>
      requestsApi.list({ orgId: org.id, cursor, filters: filterQuery(filters) }),
    [org.id, filters],
  );
  const paged = usePagedList(fetchPage, (count) =>
    setAnnouncement(
      plural(count, { one: "# more request loaded.", other: "# more requests loaded." }),
    ),
  );
  const deleting = useConfirm<RequestListItem>();
  // Reading secrets and request links this browser kept when it made the request.
  const [kept, setKept] = useLoaded(keptRequests, new Map<string, KeptRequest>());

  const setReveal = (id: string, reveal: Reveal | null) =>
    setReveals((current) => {
      const next = { ...current };
      if (reveal) next[id] = reveal;
      else delete next[id];
      return next;
    });

  async function openE2e(item: RequestListItem, readingSecret: string) {
    setReveal(item.id, { kind: "loading" });
    try {
      const opened = await openEndToEndRequest(item.id, readingSecret);
      if (opened.kind === "waiting") {
        const message = opened.uploading
          ? t`Answered; its files are still being uploaded. Try again in a moment.`
          : t`Not answered yet.`;
        setReveal(item.id, { kind: "failed", message });
      } else {
        setReveal(item.id, {
          kind: "shown",
          value: opened.payload.text,
          submittedAt: opened.submittedAt,
          files: opened.files,
        });
      }
    } catch (error) {
      setReveal(item.id, { kind: "failed", message: openError(error) });
    }
  }

  async function reveal(item: RequestListItem) {
    if (item.endToEnd) {
      const secret = kept.get(item.id)?.readingSecret;
      if (secret) await openE2e(item, secret);
      else setReveal(item.id, { kind: "ask", error: null });
      return;
    }
    setReveal(item.id, { kind: "loading" });
    try {
      const answer = await requestsApi.reveal(item.id);
      setReveal(item.id, { kind: "shown", ...answer });
    } catch (error) {
      if (isApiError(error, "request_not_found")) {
        setReveal(item.id, {
          kind: "failed",
          message: t`The answer could not be revealed: only the member who created the request can read it, and only until the request expires or is deleted.`,
        });
      } else {
        setReveal(item.id, { kind: "failed", message: dashboardError(error) });
      }
    }
  }

  async function deleteRequest(gone: RequestListItem) {
    // The row goes: focus goes to the row taking its place, or to "No requests yet".
    const refocus = refocusAfter(sectionRef.current, `[data-request-id="${CSS.escape(gone.id)}"]`);
    try {
      await requestsApi.remove(gone.id);
    } catch (error) {
      // Deleted already (or expired and swept): what was asked for is done.
      if (!isApiError(error, "request_not_found")) throw error;
    }
    paged.update((items) => items.filter((item) => item.id !== gone.id));
    setReveal(gone.id, null);
    // The answer went with the request: the key to it has nothing left to open.
    void forgetRequest(gone.id);
    const name = requestName(gone);
    setAnnouncement(t`“${name}” was deleted.`);
    return refocus;
  }

  const deletingName = deleting.target ? requestName(deleting.target) : "";

  return (
    <div className="stack">
      <section className="panel stack stack--tight" aria-labelledby="new-request-heading">
        {created ? (
          <RequestCreated
            request={created}
            orgName={org.name}
            headingId="new-request-heading"
            onAnother={() => {
              setCreated(null);
              setFormKey((k) => k + 1);
              backToForm.current = true;
            }}
          />
        ) : (
          <>
            <div>
              {/* After Create another request, which the form replaces: the focus comes here
                  rather than falling to <body>. */}
              <h2
                ref={(heading) => {
                  if (heading && backToForm.current) heading.focus();
                  backToForm.current = false;
                }}
                id="new-request-heading"
                className="section-title"
                tabIndex={-1}
              >
                <Trans>Request a secret</Trans>
              </h2>
              <p className="field__hint">
                <Trans>
                  Get a link that asks someone for a password, key or note. Their browser encrypts
                  the answer end to end: you open it here, in this browser, or with the reading
                  link.
                </Trans>
              </p>
            </div>
            <NewRequestForm
              key={formKey}
              org={org}
              onCreated={(request) => {
                setCreated(request);
                if (request.kept) {
                  setKept((current) =>
                    new Map(current).set(request.id, {
                      id: request.id,
                      readingSecret: request.readingLink.slice(
                        request.readingLink.indexOf("#") + 1,
                      ),
                      requestLink: request.requestLink,
                    }),
                  );
                }
                void paged.reload();
              }}
            />
          </>
        )}
      </section>

      <section ref={sectionRef} className="stack stack--tight" aria-labelledby="requests-heading">
        <RequestsIntro headingId="requests-heading" orgName={orgName} admin={admin} />

        <ListFilters
          value={filters}
          onChange={setFilters}
          searchLabel={t`Search requests by name`}
          byCreator={admin}
          statuses={[
            { value: "open", label: t`Open` },
            { value: "fulfilled", label: t`Answered` },
          ]}
        />

        <PagedTable
          paged={paged}
          loadingLabel={t`Loading the requests…`}
          onRetry={() => void paged.reload()}
          empty={
            <ListEmpty
              filters={filters}
              icon={<MailIcon />}
              noMatches={t`No requests match`}
              title={t`No requests yet`}
            >
              <Trans>Requests you create appear here, and so do their answers.</Trans>
            </ListEmpty>
          }
          caption={t`Secret requests of ${orgName}`}
          columns={[t`Name`, t`Created`, t`Expires`, t`Who can answer`, t`Status`]}
          testId="requests-table"
          renderRow={(item, at) => {
            const status = rowStatus(item, at);
            const shown = reveals[item.id];
            const detailId = `answer-${item.id}`;
            const name = requestName(item);
            const { ref } = item;
            return (
              <Fragment key={item.id}>
                <tr className="data-table__row" data-request-id={item.id}>
                  <NameCell name={item.name} untitled={t`Untitled request`}>
                    {/* How audit entries and webhooks name the request (never by its id). */}
                    {ref && (
                      <span className="data-table__sub" data-testid="request-ref">
                        <Trans>
                          Reference <code className="mono break-anywhere">{ref}</code>
                        </Trans>
                      </span>
                    )}
                  </NameCell>
                  <DateCell label={t`Created`} at={item.createdAt} />
                  <DateCell label={t`Expires`} at={item.expiresAt} />
                  <td data-label={t`Who can answer`}>
                    {item.access === "organization" ? t`Organization` : t`Anyone with the link`}
                    <span className="data-table__sub" data-testid="request-kind">
                      {item.endToEnd ? t`End-to-end` : t`Server-encrypted`}
                    </span>
                  </td>
                  <td data-label={t`Status`}>
                    <span className={`badge badge--${STATUS[status].tone}`} data-status={status}>
                      {i18n._(STATUS[status].label)}
                    </span>
                    {item.submittedAt && (
                      <span className="data-table__sub">{formatShortDate(item.submittedAt)}</span>
                    )}
                  </td>
                  <td className="data-table__actions">
                    {status === "answered" && item.mine && (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-expanded={shown?.kind === "shown"}
                        aria-controls={shown ? detailId : undefined}
                        // aria-disabled while loading, not disabled: that drops the focus.
                        aria-disabled={shown?.kind === "loading" || undefined}
                        onClick={() =>
                          shown?.kind === "loading"
                            ? undefined
                            : shown?.kind === "shown"
                              ? setReveal(item.id, null)
                              : void reveal(item)
                        }
                      >
                        {shown?.kind === "loading" ? (
                          <span className="spinner" aria-hidden="true" />
                        ) : (
                          <EyeIcon />
                        )}
                        {shown?.kind === "shown" ? (
                          <Trans>
                            <span>Hide</span>
                            <span className="visually-hidden"> the answer to {name}</span>
                          </Trans>
                        ) : item.endToEnd ? (
                          <Trans>
                            <span>Open</span>
                            <span className="visually-hidden"> the answer to {name}</span>
                          </Trans>
                        ) : (
                          <Trans>
                            <span>Reveal</span>
                            <span className="visually-hidden"> the answer to {name}</span>
                          </Trans>
                        )}
                      </button>
                    )}
                    {status === "open" && !item.endToEnd && (
                      <CopyLinkButton url={requestUrl(item.id)} name={name} />
                    )}
                    {/* An end-to-end link carries its key's fingerprint, which only the
                        browser that made it knows. */}
                    {status === "open" && item.endToEnd && kept.get(item.id) && (
                      <CopyLinkButton url={kept.get(item.id)?.requestLink ?? ""} name={name} />
                    )}
                    <DeleteRowButton name={name} onClick={() => deleting.ask(item)} />
                  </td>
                </tr>
                {shown && shown.kind !== "loading" && (
                  <tr className="data-table__detail">
                    <td colSpan={6} id={detailId}>
                      {shown.kind === "shown" ? (
                        <RequestAnswer
                          value={shown.value}
                          submittedAt={shown.submittedAt}
                          files={shown.files}
                        />
                      ) : shown.kind === "ask" ? (
                        <ReadingLinkForm
                          requestId={item.id}
                          name={name}
                          error={shown.error}
                          onOpen={(secret) => void openE2e(item, secret)}
                          onError={(error) => setReveal(item.id, { kind: "ask", error })}
                        />
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
          }}
        />

        <Announcer message={announcement} />
      </section>

      <ConfirmDialog
        {...deleting.dialog}
        title={t`Delete this request?`}
        confirmLabel={t`Delete request`}
        busyLabel={t`Deleting…`}
        onConfirm={() => void deleting.run(deleteRequest)}
      >
        <p>
          <Trans>
            “{deletingName}” is deleted at once, with its answer if it has one. Its link stops
            working. This cannot be undone.
          </Trans>
        </p>
      </ConfirmDialog>
    </div>
  );
}
