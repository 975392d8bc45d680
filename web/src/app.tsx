import { Trans } from "@lingui/react/macro";
import { lazy, Suspense } from "react";

import { ErrorBoundary } from "./components/ErrorBoundary";
import { Layout } from "./components/Layout";
import { BrandingProvider } from "./features/branding/context";
import { SessionProvider } from "./lib/session";
import { NotFoundPage } from "./pages/NotFoundPage/NotFoundPage";
import type { Route } from "./lib/route";
import { Loading } from "./components/Loading";
import { preloadable } from "./lib/preloadable";

// The share form, the share page and the manage page are chunks of their own too (issue 24): a
// recipient's phone compiles only the page it shows. main.tsx starts the route's chunk beside
// its catalogs (preloadPage), so the split costs no round trip.
const sharePage = preloadable(() => import("./pages/SharePage/SharePage").then((m) => m.SharePage));
const viewPage = preloadable(() => import("./pages/ViewPage/ViewPage").then((m) => m.ViewPage));
const managePage = preloadable(() =>
  import("./pages/ManagePage/ManagePage").then((m) => m.ManagePage),
);
const SharePage = sharePage.Page;
const ViewPage = viewPage.Page;
const ManagePage = managePage.Page;

/** Starts loading the route's page before the first render; other pages load on render. */
export async function preloadPage(page: Route["page"]): Promise<void> {
  if (page === "share") await sharePage.preload();
  else if (page === "view") await viewPage.preload();
  else if (page === "manage") await managePage.preload();
}

// Pages outside the share flow load on use, keeping / and /s within their budget.
const RequestPage = lazy(() =>
  import("./pages/RequestPage/RequestPage").then((m) => ({ default: m.RequestPage })),
);
const OpenRequestPage = lazy(() =>
  import("./pages/OpenRequestPage/OpenRequestPage").then((m) => ({ default: m.OpenRequestPage })),
);
const NewRequestPage = lazy(() =>
  import("./pages/NewRequestPage/NewRequestPage").then((m) => ({ default: m.NewRequestPage })),
);
const LoginPage = lazy(() =>
  import("./pages/Login/LoginPage").then((m) => ({ default: m.LoginPage })),
);
const SignupPage = lazy(() =>
  import("./pages/Signup/SignupPage").then((m) => ({ default: m.SignupPage })),
);
const VerifyEmailPage = lazy(() =>
  import("./pages/VerifyEmail/VerifyEmailPage").then((m) => ({ default: m.VerifyEmailPage })),
);
const ForgotPasswordPage = lazy(() =>
  import("./pages/ForgotPassword/ForgotPasswordPage").then((m) => ({
    default: m.ForgotPasswordPage,
  })),
);
const ResetPasswordPage = lazy(() =>
  import("./pages/ResetPassword/ResetPasswordPage").then((m) => ({
    default: m.ResetPasswordPage,
  })),
);
const InvitationPage = lazy(() =>
  import("./pages/Invitation/InvitationPage").then((m) => ({ default: m.InvitationPage })),
);
const AppPage = lazy(() => import("./pages/App/AppPage").then((m) => ({ default: m.AppPage })));

/**
 * A request page serves both kinds: end-to-end requests (F13) and older ones whose answers the
 * server encrypts at rest (F6). The page itself says which; the footer says what holds for both.
 */
const REQUEST_NOTE = (
  <Trans>
    Sent over an encrypted connection and stored encrypted. Only the person who asked can read it.
  </Trans>
);
/** The dashboard holds shares and requests of both kinds, so it says which is which. */
const DASHBOARD_NOTE = (
  <Trans>
    Shares and new requests are end-to-end encrypted in the browser. Answers to older requests, made
    before end-to-end requests, pass through the server, which stores them encrypted.
  </Trans>
);

export function App({ route }: { route: Route }) {
  // Share and request pages wear their organization's look once their metadata says so.
  const branded = route.page === "view" || route.page === "request";
  return (
    <SessionProvider>
      <BrandingProvider pending={branded}>
        <Layout
          footerNote={
            route.page === "request"
              ? REQUEST_NOTE
              : route.page === "app"
                ? DASHBOARD_NOTE
                : undefined
          }
          wide={route.page === "app"}
        >
          <ErrorBoundary>
            <Suspense fallback={<PageLoading />}>{renderPage(route)}</Suspense>
          </ErrorBoundary>
        </Layout>
      </BrandingProvider>
    </SessionProvider>
  );
}

function PageLoading() {
  return (
    <div className="card">
      <Loading>
        <Trans>Loading…</Trans>
      </Loading>
    </div>
  );
}

function renderPage(route: Route) {
  switch (route.page) {
    case "share":
      return <SharePage />;
    case "view":
      return <ViewPage fragment={route.fragment} />;
    case "manage":
      return <ManagePage id={route.id} manageToken={route.manageToken} />;
    case "request":
      return <RequestPage id={route.id} fragment={route.fragment} />;
    case "open-request":
      return <OpenRequestPage id={route.id} fragment={route.fragment} />;
    case "new-request":
      return <NewRequestPage />;
    case "login":
      return <LoginPage />;
    case "signup":
      return <SignupPage />;
    case "verify-email":
      return <VerifyEmailPage token={route.token} />;
    case "forgot-password":
      return <ForgotPasswordPage />;
    case "reset-password":
      return <ResetPasswordPage token={route.token} />;
    case "invitation":
      return <InvitationPage token={route.token} />;
    case "app":
      return <AppPage path={route.path} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
