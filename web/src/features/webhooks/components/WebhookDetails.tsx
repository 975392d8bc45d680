import { useId, useRef } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { TrashIcon } from "../../../components/icons";
import { Loading } from "../../../components/Loading";
import {
  RecentProofPrompt,
  type useRecentProof,
} from "../../accounts/components/RecentProofPrompt";
import type { Webhook } from "../api";
import type { DeliveryLogState } from "../use-delivery-log";
import { DeliveryLog } from "./DeliveryLog";
import { WebhookForm, type WebhookDraft } from "./WebhookForm";
import { BusyButton } from "../../../components/BusyButton";

/**
 * Under an endpoint's row: Edit, Pause or Enable, Delete, and its delivery log; or, while
 * editing, the form in their place; or, while `proof` asks for the password a resume needs, that
 * prompt in place of the buttons.
 */
export function WebhookDetails({
  webhook,
  log,
  editing,
  busy,
  proof,
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
  /** The refused resume of this endpoint, waiting for the password; null otherwise. */
  proof: ReturnType<typeof useRecentProof> | null;
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
  // The password prompt replaced the buttons: Cancel, or the resume done, puts the focus back on
  // the button that asked (Enable, or Pause once enabled).
  const prompted = useRef(false);
  // Paused by the server: why, and what Enable does, beside the button.
  const pausedByServer = !webhook.enabled && webhook.pausedReason === "creator_not_admin";
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
  const prompt = proof?.retry ? (
    <RecentProofPrompt
      // Cancel, and the resume done, both end the prompt through cancel.
      proof={{
        ...proof,
        cancel: () => {
          prompted.current = true;
          proof.cancel();
        },
      }}
      label={webhook.enabled ? t`Pause` : t`Enable`}
      busyLabel={t`Saving…`}
    />
  ) : null;
  return (
    <div className="stack stack--tight webhook-details">
      {pausedByServer && (
        <p id={`${ids}-paused`} className="field__hint">
          <Trans>
            Paused because its creator is no longer an admin. Once you enable it, you count as its
            creator: it pauses again if you stop being an admin.
          </Trans>
        </p>
      )}
      {prompt ?? (
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
            ref={(button) => {
              if (button && prompted.current) button.focus();
              prompted.current = false;
            }}
            className="button button--secondary button--small"
            busy={busy}
            aria-describedby={pausedByServer ? `${ids}-paused` : undefined}
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
      )}
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
