import type { ReactNode } from "react";

import { AlertIcon, CheckIcon, ShieldIcon } from "./icons";

type Tone = "info" | "success" | "warning" | "danger";

const ICONS: Record<Tone, ReactNode> = {
  info: <ShieldIcon />,
  success: <CheckIcon />,
  warning: <AlertIcon />,
  danger: <AlertIcon />,
};

/** A tinted message box. Live announcements are the caller's job (role="alert"/"status"). */
export function Notice({
  tone = "info",
  children,
  role,
}: {
  tone?: Tone;
  children: ReactNode;
  role?: "alert" | "status";
}) {
  return (
    <div className={`notice notice--${tone}`} role={role}>
      {ICONS[tone]}
      <div className="notice__body">{children}</div>
    </div>
  );
}
