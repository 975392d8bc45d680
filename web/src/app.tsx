import { Layout } from "./components/Layout";
import { ManagePage } from "./pages/ManagePage/ManagePage";
import { NotFoundPage } from "./pages/NotFoundPage/NotFoundPage";
import { SharePage } from "./pages/SharePage/SharePage";
import { ViewPage } from "./pages/ViewPage/ViewPage";

export type Route =
  | { page: "share" }
  | { page: "view"; fragment: string }
  | { page: "manage"; id: string; manageToken: string }
  | { page: "not-found" };

/**
 * The whole router: four paths, matched once per load. Links between pages are plain <a href>
 * (full loads), which also guarantees that no decrypted secret survives a navigation in memory.
 */
export function matchRoute(pathname: string, fragment: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { page: "share" };
  if (path === "/s") return { page: "view", fragment };
  const manage = /^\/manage\/([A-Za-z0-9_-]+)$/.exec(path);
  if (manage?.[1]) return { page: "manage", id: manage[1], manageToken: fragment };
  return { page: "not-found" };
}

export function App({ route }: { route: Route }) {
  return <Layout>{renderPage(route)}</Layout>;
}

function renderPage(route: Route) {
  switch (route.page) {
    case "share":
      return <SharePage />;
    case "view":
      return <ViewPage fragment={route.fragment} />;
    case "manage":
      return <ManagePage id={route.id} manageToken={route.manageToken} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
