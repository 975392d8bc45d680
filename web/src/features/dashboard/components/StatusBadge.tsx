import { useLingui } from "@lingui/react/macro";
import type { ShareStatus } from "@hushlink/protocol";

import { STATUS_LABEL, STATUS_TONE } from "../format";

export function StatusBadge({ status }: { status: ShareStatus }) {
  const { i18n } = useLingui();
  return (
    <span className={`badge badge--${STATUS_TONE[status]}`} data-status={status}>
      {i18n._(STATUS_LABEL[status])}
    </span>
  );
}
