import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { SideBySide } from "../../../components/SideBySide";

/** An organization setting as a member sees it: its value, then "· only admins can change it." */
export function AdminsOnly({ children }: { children: ReactNode }) {
  return (
    <p>
      <SideBySide
        first={children}
        second={
          <span className="details__muted">
            <Trans>· only admins can change it.</Trans>
          </span>
        }
      />
    </p>
  );
}
