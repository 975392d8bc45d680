import { Trans, useLingui } from "@lingui/react/macro";

import { KeyIcon } from "../../../components/icons";
import { ShortDate } from "./RowCells";

/** The row heading of a key the user holds (an API token, a passkey): a key icon and its name. */
export function KeyNameCell({ name }: { name: string }) {
  return (
    <th scope="row" className="data-table__name">
      <span className="token-name">
        <KeyIcon />
        <span>{name}</span>
      </span>
    </th>
  );
}

/** When a key was last used, or "Never". */
export function LastUsedCell({ at }: { at: string | null }) {
  const { t } = useLingui();
  return (
    <td data-label={t`Last used`}>
      {at ? (
        <ShortDate at={at} />
      ) : (
        <span className="muted">
          <Trans>Never</Trans>
        </span>
      )}
    </td>
  );
}
