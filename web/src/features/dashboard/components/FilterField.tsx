import type { ReactNode } from "react";

/** One labelled control in a row of list filters (ListFilters, AuditFilters). */
export function FilterField({
  label,
  className,
  children,
}: {
  label: string;
  /** A further class: `audit-filters__wide` for a select with long options. */
  className?: string;
  /** The control. */
  children: ReactNode;
}) {
  return (
    <label className={className ? `list-filters__field ${className}` : "list-filters__field"}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A filter's select: "" (labelled `anyLabel`) lets everything through, then the options. */
export function FilterSelect({
  label,
  className,
  value,
  onChange,
  anyLabel,
  children,
}: {
  label: string;
  className?: string;
  value: string;
  onChange: (value: string) => void;
  anyLabel: string;
  /** The options after "any". */
  children: ReactNode;
}) {
  return (
    <FilterField label={label} className={className}>
      <select
        className="input input--compact select"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">{anyLabel}</option>
        {children}
      </select>
    </FilterField>
  );
}
