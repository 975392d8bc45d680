import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { EmptyState } from "./EmptyState";

/** A filtered list with no rows: says so, and how to see more (ListFilters above it). */
export function NoMatches({ icon, title }: { icon: ReactNode; title: string }) {
  return (
    <EmptyState icon={icon} title={title}>
      <Trans>Change the search or the filters to see more.</Trans>
    </EmptyState>
  );
}
