import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app";
import { matchRoute } from "./lib/route";
import { takeFragment } from "./lib/fragment";
import "./styles/app.css";
import "./styles/theme.css";
import "./styles/conveniences.css";

// Keys travel in the fragment; take it (and clear it from the address bar) before anything renders.
const fragment = takeFragment();
const route = matchRoute(window.location.pathname, fragment, window.location.search);

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <App route={route} />
  </StrictMode>,
);
