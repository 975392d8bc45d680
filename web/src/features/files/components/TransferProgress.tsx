import { t } from "@lingui/core/macro";
import { Trans } from "@lingui/react/macro";

import { CloseIcon } from "../../../components/icons";
import { formatBytes, formatNumber } from "../../../lib/format";
import type { Progress } from "../transfer";

/** "12.5 MB of 40 MB (31%), 48.2 MB/s" */
export function progressText(progress: Progress, withRate = true): string {
  const percent = formatNumber(
    progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 100,
  );
  const done = formatBytes(progress.done);
  const total = formatBytes(progress.total);
  const rate = formatBytes(Math.round(progress.rate));
  return withRate && progress.rate > 0
    ? t`${done} of ${total} (${percent}%), ${rate}/s`
    : t`${done} of ${total} (${percent}%)`;
}

/** A labelled progress bar with bytes, percent and rate, and a way to stop. */
export function TransferProgress({
  label,
  progress,
  onCancel,
  cancelLabel,
}: {
  label: string;
  progress: Progress;
  onCancel?: () => void;
  cancelLabel?: string;
}) {
  const text = progressText(progress);
  return (
    <div className="transfer" data-testid="transfer">
      <div className="transfer__line">
        <span className="transfer__label">{label}</span>
        <span className="transfer__numbers" data-testid="transfer-numbers">
          {text}
        </span>
      </div>
      <progress
        className="transfer__bar"
        max={Math.max(progress.total, 1)}
        value={progress.total > 0 ? progress.done : 1}
        aria-label={label}
        aria-valuetext={text}
      />
      {onCancel && (
        <button type="button" className="button button--ghost button--small" onClick={onCancel}>
          <CloseIcon />
          <span>{cancelLabel ?? <Trans>Cancel</Trans>}</span>
        </button>
      )}
    </div>
  );
}
