import type { ReactNode } from "react";

import { useFocusOnMount } from "../lib/use-focus-on-mount";
import { AlertIcon, CheckIcon, ShieldIcon } from "./icons";

type Tone = "info" | "success" | "warning" | "danger";

const ICONS: Record<Tone, ReactNode> = {
  info: <ShieldIcon />,
  success: <CheckIcon />,
  warning: <AlertIcon />,
  danger: <AlertIcon />,
};

/**
 * A tinted message box. Live announcements are the caller's job (role="alert"/"status").
 * `focus`: the notice takes the focus when it appears, for one that replaces the button just
 * pressed (Yes, delete it), so the focus does not fall to <body> and the next Tab start over.
 */
export function Notice({
  tone = "info",
  children,
  role,
  focus = false,
}: {
  tone?: Tone;
  children: ReactNode;
  role?: "alert" | "status";
  focus?: boolean;
}) {
  const ref = useFocusOnMount<HTMLDivElement>(focus);
  return (
    <div
      ref={ref}
      className={`notice notice--${tone}`}
      role={role}
      tabIndex={focus ? -1 : undefined}
    >
      {ICONS[tone]}
      <div className="notice__body">{children}</div>
    </div>
  );
}
