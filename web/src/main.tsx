import { I18nProvider } from "@lingui/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App, preloadPage } from "./app";
import { startMetadata } from "./features/shares/early-metadata";
import { activateLocale, i18n, startLocale } from "./i18n/i18n";
import { areasFor } from "./i18n/page-areas";
import { matchRoute, readsFragment, type Route } from "./lib/route";
import { queryKeyToFragment, takeFragment } from "./lib/fragment";
import "./styles/base.css";
import "./styles/forms.css";
import "./styles/pieces.css";
import "./styles/branded.css";
import "./styles/accounts-dashboard.css";
import "./styles/dashboard-tables.css";
import "./styles/share-options.css";
import "./styles/recipients.css";
import "./styles/theme.css";
import "./styles/conveniences.css";
import "./styles/files.css";
import "./styles/sso.css";
import "./styles/webhooks-audit.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
const reactRoot = createRoot(root);

let generation = 0;
/**
 * Keys travel in the fragment; take it (and clear it from the address bar) before anything
 * renders. A link pasted into the same tab changes only the fragment (no load): render afresh.
 */
function takeRoute(): Route {
  queryKeyToFragment("/verify-email", "token");
  const fragment = takeFragment();
  const route = matchRoute(window.location.pathname, fragment, window.location.search);
  // A share link's metadata is asked for now, not after its page's chunk and first render.
  if (route.page === "view") startMetadata(route.fragment);
  return route;
}

function render(route = takeRoute()): void {
  generation += 1;
  reactRoot.render(
    <StrictMode>
      <I18nProvider i18n={i18n}>
        <App key={generation} route={route} />
      </I18nProvider>
    </StrictMode>,
  );
}

window.addEventListener("hashchange", () => {
  // In-page anchors (the skip link) also change the fragment; only link pages start over.
  const route = matchRoute(window.location.pathname, "", window.location.search);
  if (window.location.hash && readsFragment(route)) render();
});

// The first paint is in the reader's language: its catalog (a few KB) loads before anything
// renders, and the page's own chunk with it (both requests start here, in one wave, while the
// entry runs, so the `load` event still waits for them and the app renders before it). Should
// either fail to load, the page renders all the same rather than not at all (a page that did
// not load then shows the error boundary). The address bar loses the key at once.
const firstRoute = takeRoute();
void Promise.allSettled([
  activateLocale(startLocale(), areasFor(firstRoute.page)).catch((error: unknown) =>
    console.error("The language could not be loaded", error),
  ),
  preloadPage(firstRoute.page),
]).finally(() => render(firstRoute));
