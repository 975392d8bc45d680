import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useState, type FormEvent, type ReactNode } from "react";

import { FilterSelect } from "./FilterField";

export interface ListFilterValue {
  /** Part of the name; empty for all. */
  q: string;
  /** One of `statuses`' values; empty for all. */
  status: string;
  /** "me" for one's own; empty for everyone's. */
  creator: "" | "me";
}

export const NO_FILTERS: ListFilterValue = { q: "", status: "", creator: "" };

export const isFiltered = (value: ListFilterValue) =>
  value.q !== "" || value.status !== "" || value.creator !== "";

/** The list endpoints' query parameters for a filter value (extension of SPEC §4). */
export function filterQuery(value: ListFilterValue): Record<string, string | undefined> {
  return {
    q: value.q || undefined,
    status: value.status || undefined,
    creator: value.creator || undefined,
  };
}

/**
 * Search by name and filters by status and creator above a dashboard list. The search applies
 * on Enter or "Search" (not on each key, which would fetch a page per letter); the selects at
 * once. The server filters, so paging stays right however many rows there are.
 */
export function ListFilters({
  value,
  onChange,
  statuses,
  searchLabel,
  byCreator = true,
  actions,
}: {
  value: ListFilterValue;
  onChange: (value: ListFilterValue) => void;
  statuses: { value: string; label: string }[];
  /** The search field's label: "Search secrets by name". */
  searchLabel: string;
  /** Offer "Created by" (false where the list holds the caller's own only). */
  byCreator?: boolean;
  actions?: ReactNode;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [text, setText] = useState(value.q);

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange({ ...value, q: text.trim() });
  }

  return (
    <div className="list-filters">
      <form role="search" className="list-filters__search" onSubmit={search}>
        <label className="visually-hidden" htmlFor={`${ids}-q`}>
          {searchLabel}
        </label>
        <input
          id={`${ids}-q`}
          className="input input--compact"
          type="search"
          value={text}
          maxLength={200}
          placeholder={t`Search by name`}
          onChange={(event) => {
            setText(event.target.value);
            // Clearing the field (or its × button) shows everything again at once.
            if (event.target.value === "" && value.q !== "") onChange({ ...value, q: "" });
          }}
        />
        <button type="submit" className="button button--secondary button--small">
          <Trans>Search</Trans>
        </button>
      </form>
      <div className="list-filters__selects">
        <FilterSelect
          label={t`Status`}
          value={value.status}
          onChange={(status) => onChange({ ...value, status })}
          anyLabel={t`All`}
        >
          {statuses.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </FilterSelect>
        {byCreator && (
          <FilterSelect
            label={t`Created by`}
            value={value.creator}
            onChange={(creator) => onChange({ ...value, creator: creator === "me" ? "me" : "" })}
            anyLabel={t`Anyone`}
          >
            <option value="me">{t`Me`}</option>
          </FilterSelect>
        )}
        {actions}
      </div>
    </div>
  );
}
