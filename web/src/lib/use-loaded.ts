import { useEffect, useState, type Dispatch, type SetStateAction } from "react";

/**
 * State that starts as `initial` and becomes what `load` resolves to, on mount and again whenever
 * `load` changes (another id, another organization). An answer that arrives after the component
 * unmounted, or after a newer load started, is dropped, so a slow first request cannot overwrite
 * a later one. `load` must not throw: it turns its own failures into a state.
 */
export function useLoaded<T>(load: () => Promise<T>, initial: T): [T, Dispatch<SetStateAction<T>>] {
  const [state, setState] = useState<T>(initial);

  useEffect(() => {
    let cancelled = false;
    void load().then((next) => {
      if (!cancelled) setState(next);
    });
    return () => {
      cancelled = true;
    };
  }, [load]);

  return [state, setState];
}
