import { useId, useRef } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { TrashIcon } from "../../../components/icons";
import { Loading } from "../../../components/Loading";
import type { Webhook } from "../api";
import type { DeliveryLogState } from "../use-delivery-log";
import { DeliveryLog } from "./DeliveryLog";
import { WebhookForm, type WebhookDraft } from "./WebhookForm";
import { BusyButton } from "../../../components/BusyButton";

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
  const { t } = useLingui();
  const ids = useId();
  // Cancel puts the focus back on Edit, which the form replaced, not on <body>.
  const cancelledEdit = useRef(false);
  if (editing)
    return (
      <section className="stack stack--tight" aria-labelledby={`${ids}-edit`}>
        <h3 id={`${ids}-edit`} className="section-title">
          <Trans>Change this endpoint</Trans>
        </h3>
        <p className="field__hint">
          <Trans>The signing secret and the delivery log stay as they are.</Trans>
        </p>
        <WebhookForm
          initial={webhook}
          submitLabel={t`Save changes`}
          busyLabel={t`Saving…`}
          onSave={onSave}
          onCancel={() => {
            cancelledEdit.current = true;
            onCancelEdit();
          }}
        />
      </section>
    );
  return (
    <div className="stack stack--tight webhook-details">
      <div className="webhook-details__actions">
        <button
          ref={(button) => {
            if (button && cancelledEdit.current) button.focus();
            cancelledEdit.current = false;
          }}
          type="button"
          className="button button--secondary button--small"
          onClick={onEdit}
        >
          <Trans>Edit</Trans>
        </button>
        <BusyButton
          className="button button--secondary button--small"
          busy={busy}
          onClick={onToggle}
        >
          {webhook.enabled ? t`Pause` : t`Enable`}
        </BusyButton>
        <button
          type="button"
          className="button button--danger-outline button--small"
          onClick={onDelete}
        >
          <TrashIcon />
          <span>
            <Trans>Delete</Trans>
          </span>
        </button>
      </div>
      <section className="stack stack--tight" aria-labelledby={`${ids}-log`}>
        <div className="webhook-details__log-head">
          <h3 id={`${ids}-log`} className="section-title">
            <Trans>Delivery log</Trans>
          </h3>
          <button type="button" className="button button--ghost button--small" onClick={onRefresh}>
            <Trans>Refresh</Trans>
          </button>
        </div>
        <p className="field__hint">
          <Trans>
            The last 100 deliveries of 30 days, newest first. Failed attempts are retried with
            growing pauses for 24 hours.
          </Trans>
        </p>
        {log.kind === "loading" ? (
          <Loading small>
            <Trans>Loading the delivery log…</Trans>
          </Loading>
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
