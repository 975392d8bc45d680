import { useEffect, useRef } from "react";

/**
 * Moves focus to a heading when a view replaces the previous one (after creating, revealing…),
 * so keyboard and screen-reader users land on the new content instead of a vanished button.
 */
export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (enabled) ref.current?.focus();
  }, [enabled]);
  return ref;
}
