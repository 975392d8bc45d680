import { lazy, type ComponentType } from "react";

/**
 * A page in a chunk of its own that main.tsx can start loading before the first render, beside
 * the language's catalogs, so splitting it out costs no extra round trip. Once loaded, the page
 * renders at once (no Suspense fallback in between); rendered before that, it suspends like
 * React.lazy.
 */
export function preloadable<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = (): Promise<ComponentType<P>> =>
    (pending ??= load().then((page) => (loaded = page)));
  const Lazy = lazy(() => preload().then((page) => ({ default: page })));
  function Page(props: P) {
    const Loaded = loaded ?? Lazy;
    return <Loaded {...props} />;
  }
  return { Page, preload };
}
