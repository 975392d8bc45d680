import { useCallback, useState } from "react";

import { AlertIcon } from "../../components/icons";
import { LoadFailed } from "../../components/LoadFailed";
import { Loading } from "../../components/Loading";
import { Notice } from "../../components/Notice";
import { accountsApi, type Invitation } from "../../features/accounts/api";
import { Outcome } from "../../features/accounts/components/Outcome";
import { accountErrorMessage } from "../../features/accounts/errors";
import { isApiError } from "../../lib/api";
import { signInHref } from "../../lib/return-to";
import { rememberOrg, roleLabel, useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { useLoaded } from "../../lib/use-loaded";

type State =
  | { kind: "loading" }
  | { kind: "not-found" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; invitation: Invitation }
  | { kind: "joined"; invitation: Invitation };

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** `/invitations/{token}` from an invitation mail: see what it is for, sign in or up, accept. */
export function InvitationPage({ token }: { token: string }) {
  const { session, refresh, signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (): Promise<State> => {
    try {
      return { kind: "ready", invitation: await accountsApi.invitation(token) };
    } catch (caught) {
      if (isApiError(caught, "invitation_not_found") || isApiError(caught, "invalid_request")) {
        return { kind: "not-found" };
      }
      return { kind: "failed", message: accountErrorMessage(caught) };
    }
  }, [token]);
  const [state, setState] = useLoaded(load, { kind: "loading" });
  useDocumentTitle(
    state.kind === "ready" || state.kind === "joined"
      ? `Join ${state.invitation.orgName}`
      : "Invitation",
  );

  const here = `/invitations/${encodeURIComponent(token)}`;

  async function accept(invitation: Invitation) {
    setBusy(true);
    setError(null);
    try {
      const joined = await accountsApi.acceptInvitation(token);
      rememberOrg(joined.orgId);
      await refresh();
      setState({ kind: "joined", invitation });
    } catch (caught) {
      if (isApiError(caught, "invitation_email_mismatch")) {
        setError(
          `This invitation is for ${invitation.email}. Sign in with that address to accept it.`,
        );
      } else if (isApiError(caught, "invitation_not_found")) {
        setState({ kind: "not-found" });
      } else {
        setError(accountErrorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  async function switchAccount(invitation: Invitation) {
    setBusy(true);
    try {
      await signOut();
    } finally {
      window.location.assign(signInHref(here, { email: invitation.email }));
    }
  }

  return <div className="card card--narrow">{render()}</div>;

  function render() {
    switch (state.kind) {
      case "loading":
        return <Loading>Opening the invitation…</Loading>;
      case "not-found":
        return (
          <Outcome tone="warning" title="This invitation does not work">
            <p className="lead">
              It was accepted already, an admin cancelled it, it expired, or the link is incomplete.
              Ask the person who invited you for a new invitation.
            </p>
          </Outcome>
        );
      case "failed":
        return (
          <LoadFailed
            icon={<AlertIcon />}
            tone="warning"
            title="The invitation could not be loaded"
            focus
            message={state.message}
            onRetry={() => void load().then(setState)}
          />
        );
      case "joined":
        return (
          <Outcome tone="success" title={`You joined ${state.invitation.orgName}`}>
            <p className="lead">
              You are now {state.invitation.role === "admin" ? "an admin" : "a member"} of{" "}
              {state.invitation.orgName}. Its shared secrets and members are in your dashboard.
            </p>
            <p>
              <a className="button button--primary" href="/app/members">
                Open the dashboard
              </a>
            </p>
          </Outcome>
        );
      case "ready":
        return renderReady(state.invitation);
    }
  }

  function renderReady(invitation: Invitation) {
    const me = session.status === "signed-in" ? session.me : null;
    const role = roleLabel(invitation.role).toLowerCase();
    return (
      <section className="stack" aria-labelledby="invitation-heading">
        <div className="page-intro">
          <span className="badge badge--info">Invitation</span>
          <h1 id="invitation-heading" className="page-title">
            Join {invitation.orgName} as {role === "admin" ? "an admin" : "a member"}
          </h1>
          <p className="lead">
            Members share secrets that only the organization can open, and see who opened them.
            {invitation.role === "admin" && " Admins also invite people and manage members."}
          </p>
        </div>

        <dl className="details">
          <div className="details__row">
            <dt>Organization</dt>
            <dd>{invitation.orgName}</dd>
          </div>
          <div className="details__row">
            <dt>Role</dt>
            <dd>{roleLabel(invitation.role)}</dd>
          </div>
          <div className="details__row">
            <dt>For</dt>
            <dd className="break-anywhere">{invitation.email}</dd>
          </div>
        </dl>

        {error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}

        {session.status === "loading" ? null : !me ? (
          <>
            <p>Create an account with {invitation.email}, or sign in if you have one.</p>
            <div className="form-actions">
              <a
                className="button button--primary button--large"
                href={signInHref(here, { page: "signup", email: invitation.email })}
              >
                Create an account
              </a>
              <a
                className="button button--secondary button--large"
                href={signInHref(here, { email: invitation.email })}
              >
                Sign in
              </a>
            </div>
          </>
        ) : sameAddress(me.user.email, invitation.email) ? (
          <div className="form-actions">
            <button
              type="button"
              className="button button--primary button--large button--wrap"
              disabled={busy}
              onClick={() => void accept(invitation)}
            >
              {busy && <span className="spinner" aria-hidden="true" />}
              <span>{busy ? "Joining…" : `Join ${invitation.orgName}`}</span>
            </button>
          </div>
        ) : (
          <>
            <Notice tone="warning">
              You are signed in as <strong className="break-anywhere">{me.user.email}</strong>, but
              this invitation is for <strong className="break-anywhere">{invitation.email}</strong>.
              Sign in with that address to accept it.
            </Notice>
            <div className="form-actions">
              <button
                type="button"
                className="button button--primary button--wrap"
                disabled={busy}
                onClick={() => void switchAccount(invitation)}
              >
                Sign out and continue as {invitation.email}
              </button>
            </div>
          </>
        )}
      </section>
    );
  }
}
