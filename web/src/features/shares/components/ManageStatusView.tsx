import type { MessageDescriptor } from "@lingui/core";
import { msg, plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { formatDate, formatTimeUntil } from "../../../lib/format";
import { STATUS_LABEL } from "../../dashboard/format";
import type { ManageStatus } from "../api";

type Status = ManageStatus["status"];

/** When a share stopped being active: a whole phrase each, as word order differs by language. */
const GONE_ON: Record<Exclude<Status, "active">, MessageDescriptor> = {
  viewed: msg`Viewed on`,
  expired: msg`Expired on`,
  deleted: msg`Deleted on`,
  locked: msg`Locked on`,
  revoked: msg`Revoked on`,
};

const STATUS_EXPLAINED: Record<Status, MessageDescriptor> = {
  active: msg`The link still opens the secret. Delete it here if it is no longer needed.`,
  viewed: msg`All views were used and the secret was deleted.`,
  expired: msg`The secret expired and was deleted.`,
  deleted: msg`The secret was deleted. The link no longer works.`,
  locked: msg`Too many wrong passwords were tried, so the secret was locked and deleted.`,
  revoked: msg`The link was taken back. It no longer works.`,
};

/** "1 of 3 used", "2 used, no limit": one form in English, not in every language. */
function viewsUsed(used: number, max: number | null): string {
  if (max === null) return plural(used, { one: "# used, no limit", other: "# used, no limit" });
  return plural(max, { one: `${used} of # used`, other: `${used} of # used` });
}

/** The way on from a manage link with nothing (left) to manage, as the reveal page's gone states. */
export function ShareAnother() {
  return (
    <p>
      <a className="button button--secondary" href="/">
        <Trans>Share another secret</Trans>
      </a>
    </p>
  );
}

export function ManageStatusView({
  share,
  deleteState,
  onDelete,
}: {
  share: ManageStatus;
  deleteState: ActionState;
  onDelete: () => Promise<void>;
}) {
  const { t, i18n } = useLingui();
  const active = share.status === "active";
  const status = share.status;
  return (
    <section className="stack" aria-labelledby="manage-heading">
      <div className="page-intro">
        <span className={`badge badge--${active ? "success" : "muted"}`} data-testid="share-status">
          {i18n._(STATUS_LABEL[share.status])}
        </span>
        <h1 id="manage-heading" className="page-title">
          {share.name ? share.name : t`Your shared secret`}
        </h1>
        <p className="lead">{i18n._(STATUS_EXPLAINED[share.status])}</p>
      </div>

      <dl className="details">
        <div className="details__row">
          <dt>
            <Trans>Views</Trans>
          </dt>
          <dd>{viewsUsed(share.viewCount, share.maxViews)}</dd>
        </div>
        <div className="details__row">
          <dt>
            <Trans>Created</Trans>
          </dt>
          <dd>{formatDate(share.createdAt)}</dd>
        </div>
        <div className="details__row">
          <dt>{active ? t`Expires` : t`Was due to expire`}</dt>
          <dd>
            {formatDate(share.expiresAt)}
            {active && (
              <span className="details__muted"> ({formatTimeUntil(share.expiresAt)})</span>
            )}
          </dd>
        </div>
        {share.goneAt && status !== "active" && (
          <div className="details__row">
            <dt>{i18n._(GONE_ON[status])}</dt>
            <dd>{formatDate(share.goneAt)}</dd>
          </div>
        )}
      </dl>

      <div className="live-region" aria-live="polite">
        {deleteState === "done" && (
          <Notice tone="success" focus>
            <Trans>
              <strong>Deleted.</strong> The secret is gone from the server and the link no longer
              works.
            </Trans>
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
          <h2 className="section-title">
            <Trans>Delete this secret</Trans>
          </h2>
          <p>
            <Trans>
              The link stops working at once, whether or not it has been viewed. This cannot be
              undone.
            </Trans>
          </p>
          <div>
            <ConfirmButton
              icon={<TrashIcon />}
              question={t`Delete this secret now? Nobody will be able to open the link.`}
              confirmLabel={t`Yes, delete it`}
              busy={deleteState === "busy"}
              busyLabel={t`Deleting…`}
              onConfirm={onDelete}
            >
              <Trans>Delete secret</Trans>
            </ConfirmButton>
          </div>
        </div>
      )}
      {!active && <ShareAnother />}
    </section>
  );
}
