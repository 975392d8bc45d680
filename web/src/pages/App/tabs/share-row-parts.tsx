/** What a row of the Shares tab says besides its name: its recipients and its files. */
import type { MessageDescriptor } from "@lingui/core";
import { msg, plural, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import { Address } from "../../../components/Address";
import type { ShareListItem } from "../../../features/dashboard/api";
import { formatBytes } from "../../../lib/format";

type Delivery = ShareListItem["recipients"][number]["delivery"];

const DELIVERY: Record<Delivery, { label: MessageDescriptor; tone: string }> = {
  queued: { label: msg`Queued`, tone: "muted" },
  sent: { label: msg`Sent`, tone: "success" },
  failed: { label: msg`Failed`, tone: "danger" },
};

/** SPEC F5: to whom the link was e-mailed, and how far each message got. */
export function Recipients({ recipients }: { recipients: ShareListItem["recipients"] }) {
  const { t, i18n } = useLingui();
  return (
    <>
      <span className="recipients__caption" aria-hidden="true">
        <Trans>E-mailed to</Trans>
      </span>
      <ul className="recipients" aria-label={t`E-mailed to`}>
        {recipients.map((r) => (
          <li key={r.email} className="recipients__item" data-delivery={r.delivery}>
            <span className={`badge badge--${DELIVERY[r.delivery].tone}`}>
              {i18n._(DELIVERY[r.delivery].label)}
              <span className="visually-hidden">{t`:`}</span>
            </span>
            <span className="recipients__email">
              <Address email={r.email} />
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** "3 files, 12.5 MB" */
export function filesAndSize(count: number, bytes: number): string {
  const files = plural(count, { one: "# file", other: "# files" });
  const size = formatBytes(bytes);
  return t`${files}, ${size}`;
}
