import { Layout } from "./components/Layout";
import { ManagePage } from "./pages/ManagePage/ManagePage";
import { NotFoundPage } from "./pages/NotFoundPage/NotFoundPage";
import { SharePage } from "./pages/SharePage/SharePage";
import { ViewPage } from "./pages/ViewPage/ViewPage";
import type { Route } from "./lib/route";

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
