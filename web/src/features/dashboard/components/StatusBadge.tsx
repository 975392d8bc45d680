import type { ShareStatus } from "@hushlink/protocol";

import { STATUS_LABEL, STATUS_TONE } from "../format";

export function StatusBadge({ status }: { status: ShareStatus }) {
  return (
    <span className={`badge badge--${STATUS_TONE[status]}`} data-status={status}>
      {STATUS_LABEL[status]}
    </span>
  );
}
