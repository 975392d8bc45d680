import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { SideBySide } from "./SideBySide";

/**
 * A field's label, followed by "(optional)" or "(required)" when `mark` says so; the two read
 * side by side as one message (no space in Chinese and Japanese).
 */
export function FieldLabel({
  htmlFor,
  label,
  mark,
}: {
  htmlFor: string;
  label: ReactNode;
  mark?: "optional" | "required" | null;
}) {
  return (
    <label className="field__label" htmlFor={htmlFor}>
      <SideBySide
        first={label}
        second={
          mark === "optional" ? (
            <span className="field__optional">
              <Trans>(optional)</Trans>
            </span>
          ) : (
            mark === "required" && (
              <span className="field__required">
                <Trans>(required)</Trans>
              </span>
            )
          )
        }
      />
    </label>
  );
}
