import type { ReactNode } from "react";

/** A spinner and what is being loaded, announced once as a status. */
export function Loading({ children, small = false }: { children: ReactNode; small?: boolean }) {
  return (
    <p className={small ? "loading loading--small" : "loading"} role="status">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}
