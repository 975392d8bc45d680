import { useId } from "react";

import { TrashIcon } from "../../../components/icons";
import { Loading } from "../../../components/Loading";
import type { Webhook } from "../api";
import type { DeliveryLogState } from "../use-delivery-log";
import { DeliveryLog } from "./DeliveryLog";
import { WebhookForm, type WebhookDraft } from "./WebhookForm";

/**
 * Under an endpoint's row: Edit, Pause or Enable, Delete, and its delivery log; or, while
 * editing, the form in their place.
 */
export function WebhookDetails({
  webhook,
  log,
  editing,
  busy,
  onEdit,
  onSave,
  onCancelEdit,
  onToggle,
  onDelete,
  onRefresh,
}: {
  webhook: Webhook;
  log: DeliveryLogState;
  editing: boolean;
  busy: boolean;
  onEdit: () => void;
  onSave: (draft: WebhookDraft) => Promise<void>;
  onCancelEdit: () => void;
  onToggle: () => void;
  onDelete: () => void;
  onRefresh: () => void;
}) {
  const ids = useId();
  if (editing)
    return (
      <section className="stack stack--tight" aria-labelledby={`${ids}-edit`}>
        <h3 id={`${ids}-edit`} className="section-title">
          Change this endpoint
        </h3>
        <p className="field__hint">The signing secret and the delivery log stay as they are.</p>
        <WebhookForm
          initial={webhook}
          submitLabel="Save changes"
          busyLabel="Saving…"
          onSave={onSave}
          onCancel={onCancelEdit}
        />
      </section>
    );
  return (
    <div className="stack stack--tight webhook-details">
      <div className="webhook-details__actions">
        <button type="button" className="button button--secondary button--small" onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={busy}
          onClick={onToggle}
        >
          {webhook.enabled ? "Pause" : "Enable"}
        </button>
        <button
          type="button"
          className="button button--danger-outline button--small"
          onClick={onDelete}
        >
          <TrashIcon />
          <span>Delete</span>
        </button>
      </div>
      <section className="stack stack--tight" aria-labelledby={`${ids}-log`}>
        <div className="webhook-details__log-head">
          <h3 id={`${ids}-log`} className="section-title">
            Delivery log
          </h3>
          <button type="button" className="button button--ghost button--small" onClick={onRefresh}>
            Refresh
          </button>
        </div>
        <p className="field__hint">
          The last 100 deliveries of 30 days, newest first. Failed attempts are retried with growing
          pauses for 24 hours.
        </p>
        {log.kind === "loading" ? (
          <Loading small>Loading the delivery log…</Loading>
        ) : log.kind === "failed" ? (
          <p className="access-log__status field__error" role="alert">
            {log.message}
          </p>
        ) : (
          <DeliveryLog deliveries={log.deliveries} />
        )}
      </section>
    </div>
  );
}
