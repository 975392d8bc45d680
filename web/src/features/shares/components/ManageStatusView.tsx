import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { formatDate, formatTimeUntil } from "../../../lib/format";
import type { ManageStatus } from "../api";

const STATUS_LABEL: Record<ManageStatus["status"], string> = {
  active: "Active",
  viewed: "Viewed",
  expired: "Expired",
  deleted: "Deleted",
  locked: "Locked",
  revoked: "Revoked",
};

const STATUS_EXPLAINED: Record<ManageStatus["status"], string> = {
  active: "The link still opens the secret. Delete it here if it is no longer needed.",
  viewed: "All views were used and the secret was deleted.",
  expired: "The secret expired and was deleted.",
  deleted: "The secret was deleted. The link no longer works.",
  locked: "Too many wrong passwords were tried, so the secret was locked and deleted.",
  revoked: "The link was taken back. It no longer works.",
};

export function ManageStatusView({
  share,
  deleteState,
  onDelete,
}: {
  share: ManageStatus;
  deleteState: ActionState;
  onDelete: () => Promise<void>;
}) {
  const active = share.status === "active";
  return (
    <section className="stack" aria-labelledby="manage-heading">
      <div className="page-intro">
        <span className={`badge badge--${active ? "success" : "muted"}`} data-testid="share-status">
          {STATUS_LABEL[share.status]}
        </span>
        <h1 id="manage-heading" className="page-title">
          {share.name ? share.name : "Your shared secret"}
        </h1>
        <p className="lead">{STATUS_EXPLAINED[share.status]}</p>
      </div>

      <dl className="details">
        <div className="details__row">
          <dt>Views</dt>
          <dd>
            {share.maxViews === null
              ? `${share.viewCount} used, no limit`
              : `${share.viewCount} of ${share.maxViews} used`}
          </dd>
        </div>
        <div className="details__row">
          <dt>Created</dt>
          <dd>{formatDate(share.createdAt)}</dd>
        </div>
        <div className="details__row">
          <dt>{active ? "Expires" : "Was due to expire"}</dt>
          <dd>
            {formatDate(share.expiresAt)}
            {active && (
              <span className="details__muted"> ({formatTimeUntil(share.expiresAt)})</span>
            )}
          </dd>
        </div>
        {share.goneAt && (
          <div className="details__row">
            <dt>{STATUS_LABEL[share.status]} on</dt>
            <dd>{formatDate(share.goneAt)}</dd>
          </div>
        )}
      </dl>

      <div className="live-region" aria-live="polite">
        {deleteState === "done" && (
          <Notice tone="success">
            <strong>Deleted.</strong> The secret is gone from the server and the link no longer
            works.
          </Notice>
        )}
      </div>
      {typeof deleteState === "object" && (
        <Notice tone="danger" role="alert">
          {deleteState.error}
        </Notice>
      )}

      {active && (
        <div className="panel stack stack--tight">
          <h2 className="section-title">Delete this secret</h2>
          <p>
            The link stops working at once, whether or not it has been viewed. This cannot be
            undone.
          </p>
          <div>
            <ConfirmButton
              icon={<TrashIcon />}
              question="Delete this secret now? Nobody will be able to open the link."
              confirmLabel="Yes, delete it"
              busy={deleteState === "busy"}
              busyLabel="Deleting…"
              onConfirm={onDelete}
            >
              Delete secret
            </ConfirmButton>
          </div>
        </div>
      )}
    </section>
  );
}
