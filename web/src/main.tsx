import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app";
import { matchRoute, readsFragment } from "./lib/route";
import { queryKeyToFragment, takeFragment } from "./lib/fragment";
import "./styles/app.css";
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
function render(): void {
  queryKeyToFragment("/verify-email", "token");
  const fragment = takeFragment();
  const route = matchRoute(window.location.pathname, fragment, window.location.search);
  generation += 1;
  reactRoot.render(
    <StrictMode>
      <App key={generation} route={route} />
    </StrictMode>,
  );
}

window.addEventListener("hashchange", () => {
  // In-page anchors (the skip link) also change the fragment; only link pages start over.
  const route = matchRoute(window.location.pathname, "", window.location.search);
  if (window.location.hash && readsFragment(route)) render();
});
render();
