import { useLingui } from "@lingui/react/macro";

import { TrashIcon } from "../../../components/icons";

/** A list row's Delete: a bin icon that names the row for screen readers ("Delete {name}"). */
export function DeleteRowButton({ name, onClick }: { name: string; onClick: () => void }) {
  const { t } = useLingui();
  return (
    <button
      type="button"
      className="icon-button icon-button--danger"
      aria-label={t`Delete ${name}`}
      title={t`Delete`}
      onClick={onClick}
    >
      <TrashIcon />
    </button>
  );
}
