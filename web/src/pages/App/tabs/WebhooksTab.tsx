import { Trans, useLingui } from "@lingui/react/macro";
import { Fragment, useCallback, useEffect, useId, useRef, useState } from "react";

import { Announcer } from "../../../components/Announcer";
import { LinkIcon, PlusIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { useRecentProof } from "../../../features/accounts/components/RecentProofPrompt";
import { ConfirmDialog } from "../../../features/dashboard/components/ConfirmDialog";
import { EmptyState } from "../../../features/dashboard/components/EmptyState";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { dashboardError } from "../../../features/dashboard/errors";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import { usePagedList } from "../../../features/dashboard/use-paged-list";
import {
  webhooksApi,
  type CreatedWebhook,
  type Webhook,
  type WebhookDelivery,
} from "../../../features/webhooks/api";
import { useDeliveryLog } from "../../../features/webhooks/use-delivery-log";
import { CreatedSecret } from "../../../features/webhooks/components/CreatedSecret";
import { ALL_EVENTS } from "../../../features/webhooks/components/EventPicker";
import { WebhookDetails } from "../../../features/webhooks/components/WebhookDetails";
import { WebhookForm, type WebhookDraft } from "../../../features/webhooks/components/WebhookForm";
import { WebhookRow } from "../../../features/webhooks/components/WebhookRow";
import { isApiError } from "../../../lib/api";
import type { TabProps } from "./tab-props";

/** A pending delivery due within the minute (a test just sent), not a retry hours away. */
const dueSoon = (delivery: WebhookDelivery | null | undefined, at: number) =>
  delivery?.status === "pending" &&
  (delivery.nextAttemptAt === null || Date.parse(delivery.nextAttemptAt) - at < 60_000);

/** How often, and how many times, the list is read again while a delivery is on its way. */
const POLL_MS = 2000;
const MAX_POLLS = 45;

/**
 * `/app/webhooks` (admins; SPEC F18): endpoints that receive the organization's events as signed
 * HTTP POSTs. Add one (its signing secret is shown once), send a test, read each one's delivery
 * log, change, pause or delete it.
 */
export function WebhooksTab({ org }: TabProps) {
  const { t } = useLingui();
  const ids = useId();
  const orgName = org.name;
  const sectionRef = useRef<HTMLElement>(null);
  const [adding, setAdding] = useState(false);
  const backToAdd = useRef(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const deleting = useConfirm<Webhook>();
  // Resuming an endpoint the server paused, from a session signed in a while ago: the password
  // in that endpoint's details, then the resume again (as adding one asks in place of its form).
  const proof = useRecentProof();
  const [proving, setProving] = useState<string | null>(null);

  const fetchEndpoints = useCallback(
    async () => ({ items: (await webhooksApi.list(org.id)).webhooks, nextCursor: null }),
    [org.id],
  );
  const endpoints = usePagedList(fetchEndpoints);
  const [logVersion, setLogVersion] = useState(0);
  const log = useDeliveryLog(org.id, open, logVersion);

  /** The list and the open log again (after a change, on Refresh, while waiting). */
  async function refresh() {
    setLogVersion((v) => v + 1);
    await endpoints.reload();
  }

  // While a delivery is on its way, read the list and the open log again every few seconds, so
  // it turns Delivered or Failed by itself.
  const polls = useRef(0);
  const list = endpoints.list;
  const waiting =
    (list.kind === "ready" && list.items.some((w) => dueSoon(w.lastDelivery, list.at))) ||
    (log.kind === "ready" && log.deliveries.some((d) => dueSoon(d, log.at)));
  useEffect(() => {
    if (!waiting || polls.current >= MAX_POLLS) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      void refresh();
    }, POLL_MS);
    return () => clearTimeout(timer);
  });

  /** Says what was done, and reads the list again (polling anew for a test just sent). */
  async function done(message: string) {
    setAnnouncement(message);
    polls.current = 0;
    await refresh();
  }

  /**
   * Runs a row's action; `again` is the same action with a password, for a refusal that asks for
   * a recent proof (which its details then ask for), else the refusal shows above the table.
   */
  async function act(
    webhook: Webhook,
    action: () => Promise<string>,
    again?: (password: string) => Promise<string>,
  ) {
    setBusy(webhook.id);
    setError(null);
    proof.cancel();
    try {
      await done(await action());
    } catch (caught) {
      if (again && proof.ask(caught, async (password) => done(await again(password))))
        setProving(webhook.id);
      else setError(dashboardError(caught));
    } finally {
      setBusy(null);
    }
  }

  const sendTest = (webhook: Webhook) =>
    act(webhook, async () => {
      await webhooksApi.test(org.id, webhook.id);
      setOpen(webhook.id);
      const url = webhook.url;
      return t`Test sent to ${url}. It shows in the delivery log.`;
    });

  // Enabling one the server paused (its owner is no longer an admin) needs a recent proof.
  const toggle = (webhook: Webhook) => {
    const apply = async (password?: string) => {
      await webhooksApi.update(org.id, webhook.id, {
        enabled: !webhook.enabled,
        ...(password === undefined ? {} : { password }),
      });
      const url = webhook.url;
      return webhook.enabled
        ? t`${url} is paused: no events are sent to it.`
        : t`${url} is enabled again.`;
    };
    return act(webhook, () => apply(), apply);
  };

  async function create(draft: WebhookDraft) {
    const answer = await webhooksApi.create(org.id, draft);
    setAdding(false);
    setCreated(answer);
    await endpoints.reload();
  }

  async function save(webhook: Webhook, draft: WebhookDraft) {
    await webhooksApi.update(org.id, webhook.id, draft);
    setEditing(null);
    const url = draft.url;
    setAnnouncement(t`The endpoint ${url} was changed.`);
    await endpoints.reload();
  }

  async function remove(webhook: Webhook) {
    const refocus = refocusAfter(
      sectionRef.current,
      `[data-webhook-id="${CSS.escape(webhook.id)}"]`,
    );
    try {
      await webhooksApi.remove(org.id, webhook.id);
    } catch (caught) {
      // Deleted already (in another tab): what was asked for is done.
      if (!isApiError(caught, "webhook_not_found")) throw caught;
    }
    const url = webhook.url;
    setAnnouncement(t`The endpoint ${url} was deleted.`);
    await endpoints.reload();
    return refocus;
  }

  const deletingUrl = deleting.target?.url ?? "";

  return (
    <div className="stack">
      <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <TabIntro headingId={`${ids}-heading`} title={t`Webhooks`}>
          <Trans>
            Hushlink POSTs the events you pick to your endpoints as they happen, signed per Standard
            Webhooks with each endpoint&apos;s secret. Payloads never carry a secret, link, token or
            code.
          </Trans>
        </TabIntro>
        {created ? (
          <CreatedSecret
            created={created}
            onDone={() => {
              setCreated(null);
              backToAdd.current = true;
            }}
          />
        ) : adding ? (
          <div className="panel stack stack--tight">
            <h3 className="section-title">
              <Trans>Add an endpoint</Trans>
            </h3>
            <WebhookForm
              submitLabel={t`Add endpoint`}
              busyLabel={t`Adding…`}
              onSave={create}
              onCancel={() => {
                setAdding(false);
                // Back to the button the form replaced, not to <body>; so does Done.
                backToAdd.current = true;
              }}
            />
          </div>
        ) : (
          <div>
            <button
              ref={(button) => {
                if (button && backToAdd.current) button.focus();
                backToAdd.current = false;
              }}
              type="button"
              className="button button--primary"
              onClick={() => setAdding(true)}
            >
              <PlusIcon />
              <span>
                <Trans>Add endpoint</Trans>
              </span>
            </button>
          </div>
        )}
      </section>

      <section ref={sectionRef} className="stack stack--tight" aria-labelledby={`${ids}-list`}>
        <h2 id={`${ids}-list`} className="section-title" tabIndex={-1}>
          <Trans>Endpoints</Trans>
        </h2>
        {error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}
        <PagedTable
          paged={endpoints}
          loadingLabel={t`Loading the endpoints…`}
          smallLoading
          onRetry={() => void endpoints.reload(true)}
          empty={
            <EmptyState icon={<LinkIcon />} title={t`No endpoints yet`}>
              <Trans>
                Add one to send {orgName}&apos;s events to your chat or security monitoring.
              </Trans>
            </EmptyState>
          }
          caption={t`Webhook endpoints of ${orgName}`}
          columns={[t`Endpoint`, t`Events`, t`Status`, t`Last delivery`]}
          modifier="webhooks"
          renderRow={(webhook) => (
            <Fragment key={webhook.id}>
              <WebhookRow
                webhook={webhook}
                last={webhook.lastDelivery}
                totalEvents={ALL_EVENTS.length}
                open={open === webhook.id}
                detailsId={`${ids}-details-${webhook.id}`}
                busy={busy === webhook.id}
                onTest={() => void sendTest(webhook)}
                onToggleDetails={() => {
                  setOpen(open === webhook.id ? null : webhook.id);
                  setEditing(null);
                  proof.cancel();
                }}
              />
              {open === webhook.id && (
                <tr className="data-table__detail" id={`${ids}-details-${webhook.id}`}>
                  <td colSpan={5}>
                    <WebhookDetails
                      webhook={webhook}
                      log={log}
                      editing={editing === webhook.id}
                      busy={busy === webhook.id}
                      proof={proving === webhook.id ? proof : null}
                      onEdit={() => setEditing(webhook.id)}
                      onSave={(draft) => save(webhook, draft)}
                      onCancelEdit={() => setEditing(null)}
                      onToggle={() => void toggle(webhook)}
                      onDelete={() => deleting.ask(webhook)}
                      onRefresh={() => void refresh()}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          )}
        />
      </section>

      <Announcer message={announcement} />

      <ConfirmDialog
        {...deleting.dialog}
        title={t`Delete this endpoint?`}
        confirmLabel={t`Delete endpoint`}
        busyLabel={t`Deleting…`}
        onConfirm={() => void deleting.run(remove)}
      >
        <p className="break-anywhere">
          <Trans>
            Nothing more is sent to <span dir="ltr">{deletingUrl}</span>, and its delivery log is
            deleted. This cannot be undone.
          </Trans>
        </p>
      </ConfirmDialog>
    </div>
  );
}
