import { Trans, useLingui } from "@lingui/react/macro";
import { Suspense, useCallback, useEffect, useId, useState, type MouseEvent } from "react";

import { PlusIcon } from "../../components/icons";
import { LoadFailed } from "../../components/LoadFailed";
import { Notice } from "../../components/Notice";
import { OrgSelect } from "../../components/OrgSelect";
import { ResendVerification } from "../../features/accounts/components/ResendVerification";
import { SecondFactor } from "../../features/accounts/components/SecondFactor";
import { signInHref } from "../../lib/return-to";
import {
  rememberOrg,
  roleLabel,
  selectedOrg,
  useSession,
  type Me,
  type OrgMembership,
} from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { tabs, type DashboardTab } from "./tab-registry";
import { Loading } from "../../components/Loading";

const normalize = (path: string) => path.replace(/\/+$/, "") || "/";

/**
 * `/app/*`: the dashboard shell. The tab bar comes from tab-registry.ts; switching tabs changes the
 * address with pushState (no reload) and loads only the chosen tab's code.
 */
export function AppPage({ path: initialPath }: { path: string }) {
  const { t } = useLingui();
  const { session, refresh } = useSession();
  const [path, setPath] = useState(() => normalize(initialPath));

  useEffect(() => {
    const onPop = () => setPath(normalize(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  // Signed out (or the session ended): sign in, then come back here.
  useEffect(() => {
    if (session.status === "signed-out") window.location.replace(signInHref(path));
  }, [session.status, path]);

  const navigate = useCallback((to: string) => {
    window.history.pushState(null, "", to);
    setPath(normalize(to));
  }, []);

  const refreshMe = useCallback(async () => {
    await refresh();
  }, [refresh]);

  if (session.status === "unknown") {
    return (
      <div className="card">
        <LoadFailed
          title={t`The dashboard could not be loaded`}
          message={session.message ?? t`Your account could not be loaded.`}
          onRetry={() => void refresh()}
        />
      </div>
    );
  }
  if (session.status !== "signed-in") {
    return (
      <div className="card">
        <Loading>
          <Trans>Loading your dashboard…</Trans>
        </Loading>
      </div>
    );
  }
  const factor = session.me.secondFactor;
  if (factor?.required && !factor.enabled) {
    // The organization requires two-step sign-in (F16): until it is set up, only this is open
    // (the API refuses everything else with second_factor_required).
    return (
      <div className="card stack">
        <div className="page-intro">
          <h1 className="page-title">
            <Trans>Set up two-step sign-in</Trans>
          </h1>
          <p className="lead">
            <Trans>
              Your organization requires a second factor. Set up an authenticator app to continue to
              the dashboard.
            </Trans>
          </p>
        </div>
        <SecondFactor email={session.me.user.email} onDone={() => void refresh()} />
      </div>
    );
  }
  return <Dashboard me={session.me} path={path} navigate={navigate} refreshMe={refreshMe} />;
}

function Dashboard({
  me,
  path,
  navigate,
  refreshMe,
}: {
  me: Me;
  path: string;
  navigate: (to: string) => void;
  refreshMe: () => Promise<void>;
}) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const [orgId, setOrgId] = useState(() => selectedOrg(me)?.id ?? null);
  // After leaving an organization (or being removed), fall back to one that is still ours.
  const org: OrgMembership | null = me.orgs.find((o) => o.id === orgId) ?? selectedOrg(me) ?? null;

  const email = me.user.email;
  const orgName = org?.name;
  const visible = tabs.filter((tab) => !tab.adminOnly || org?.role === "admin");
  const active: DashboardTab | undefined = tabs.find((tab) => tab.path === path);
  const activeLabel = active ? i18n._(active.label) : null;
  useDocumentTitle(activeLabel ? t`${activeLabel} · Dashboard` : t`Dashboard`);

  function follow(event: MouseEvent<HTMLAnchorElement>, to: string) {
    // Let the browser handle new tabs and windows.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    if (to !== path) navigate(to);
  }

  return (
    <div className="dashboard">
      <div className="dashboard__header">
        <div className="dashboard__title">
          <h1 className="page-title">{org ? org.name : t`Dashboard`}</h1>
          {org && (
            <p className="dashboard__subtitle">
              {roleLabel(org.role)} · {me.user.email}
            </p>
          )}
        </div>
        <div className="dashboard__tools">
          {me.orgs.length > 1 && org && (
            <OrgSelect
              id={`${ids}-org`}
              className="dashboard__org"
              label={<Trans>Organization</Trans>}
              orgs={me.orgs}
              value={org.id}
              onChange={(orgId) => {
                rememberOrg(orgId);
                setOrgId(orgId);
              }}
            />
          )}
          <a className="button button--primary" href="/">
            <PlusIcon />
            <span>
              <Trans>New secret</Trans>
            </span>
          </a>
        </div>
      </div>

      {!me.user.emailVerified && path !== "/app/account" && (
        <div className="dashboard__banner">
          <Notice tone="warning">
            <p>
              <Trans>
                <strong>Confirm your e-mail address.</strong> We sent a link to{" "}
                <span className="break-anywhere">{email}</span>. Open it to confirm that the address
                is yours.
              </Trans>
            </p>
            <ResendVerification email={me.user.email} variant="ghost" />
          </Notice>
        </div>
      )}

      <nav className="tab-bar" aria-label={t`Dashboard`}>
        <ul className="tab-bar__list">
          {visible.map((tab) => (
            <li key={tab.path}>
              <a
                className="tab-bar__tab"
                href={tab.path}
                aria-current={tab.path === path ? "page" : undefined}
                onClick={(event) => follow(event, tab.path)}
              >
                {i18n._(tab.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="card dashboard__panel">
        {!active ? (
          <section className="stack status-page">
            <h2 className="page-title">
              <Trans>Page not found</Trans>
            </h2>
            <p className="lead">
              <Trans>The dashboard has no page at this address.</Trans>
            </p>
            <p>
              <a
                className="button button--secondary"
                href="/app"
                onClick={(e) => follow(e, "/app")}
              >
                <Trans>Back to the shares</Trans>
              </a>
            </p>
          </section>
        ) : !org ? (
          <NoOrganization />
        ) : active.adminOnly && org.role !== "admin" ? (
          <Notice tone="info">
            <Trans>Only admins of {orgName} can see this page.</Trans>
          </Notice>
        ) : (
          <Suspense
            fallback={
              <Loading>
                <Trans>Loading…</Trans>
              </Loading>
            }
          >
            <active.component
              key={`${org.id} ${active.path}`}
              me={me}
              org={org}
              refreshMe={refreshMe}
            />
          </Suspense>
        )}
      </div>
    </div>
  );
}

function NoOrganization() {
  return (
    <section className="stack status-page">
      <h2 className="page-title">
        <Trans>You are not in an organization</Trans>
      </h2>
      <p className="lead">
        <Trans>
          Ask an admin of your team to invite you, then open the invitation link from the e-mail.
        </Trans>
      </p>
    </section>
  );
}
