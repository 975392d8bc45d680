import type { ReactNode } from "react";

/**
 * One line of a `ul.facts` list: an icon, the fact in bold, and a detail under it
 * (`detailClassName` adds classes to the detail, e.g. for addresses that read left to right).
 */
export function Fact({
  icon,
  title,
  detail,
  detailClassName,
  testId,
}: {
  icon: ReactNode;
  title: ReactNode;
  detail: ReactNode;
  detailClassName?: string;
  testId?: string;
}) {
  return (
    <li className="facts__item" data-testid={testId}>
      {icon}
      <span>
        <strong>{title}</strong>
        <span className={detailClassName ? `facts__detail ${detailClassName}` : "facts__detail"}>
          {detail}
        </span>
      </span>
    </li>
  );
}
