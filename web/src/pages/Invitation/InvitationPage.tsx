import { useCallback, useState } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { AlertIcon } from "../../components/icons";
import { LoadFailed } from "../../components/LoadFailed";
import { Loading } from "../../components/Loading";
import { Notice } from "../../components/Notice";
import { accountsApi, type Invitation } from "../../features/accounts/api";
import { Outcome, OutcomeLink } from "../../features/accounts/components/Outcome";
import { accountErrorMessage } from "../../features/accounts/errors";
import { isApiError } from "../../lib/api";
import { signInHref } from "../../lib/return-to";
import { rememberOrg, useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { useLoaded } from "../../lib/use-loaded";
import { BusyButton } from "../../components/BusyButton";

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
  const { t } = useLingui();
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
  const orgName = state.kind === "ready" || state.kind === "joined" ? state.invitation.orgName : "";
  useDocumentTitle(orgName ? t`Join ${orgName}` : t`Invitation`);

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
        const invited = invitation.email;
        setError(t`This invitation is for ${invited}. Sign in with that address to accept it.`);
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
        return (
          <Loading>
            <Trans>Opening the invitation…</Trans>
          </Loading>
        );
      case "not-found":
        return (
          <Outcome tone="warning" title={t`This invitation does not work`}>
            <p className="lead">
              <Trans>
                It was accepted already, an admin cancelled it, it expired, or the link is
                incomplete. Ask the person who invited you for a new invitation.
              </Trans>
            </p>
          </Outcome>
        );
      case "failed":
        return (
          <LoadFailed
            icon={<AlertIcon />}
            tone="warning"
            title={t`The invitation could not be loaded`}
            focus
            message={state.message}
            onRetry={() => void load().then(setState)}
          />
        );
      case "joined":
        return (
          <Outcome tone="success" title={t`You joined ${orgName}`}>
            <p className="lead">
              {state.invitation.role === "admin" ? (
                <Trans>
                  You are now an admin of {orgName}. Its shared secrets and members are in your
                  dashboard.
                </Trans>
              ) : (
                <Trans>
                  You are now a member of {orgName}. Its shared secrets and members are in your
                  dashboard.
                </Trans>
              )}
            </p>
            <OutcomeLink href="/app/members" primary>
              <Trans>Open the dashboard</Trans>
            </OutcomeLink>
          </Outcome>
        );
      case "ready":
        return renderReady(state.invitation);
    }
  }

  function renderReady(invitation: Invitation) {
    const me = session.status === "signed-in" ? session.me : null;
    const signedIn = me?.user.email ?? "";
    const { orgName, email } = invitation;
    const admin = invitation.role === "admin";
    return (
      <section className="stack" aria-labelledby="invitation-heading">
        <div className="page-intro">
          <span className="badge badge--info">
            <Trans>Invitation</Trans>
          </span>
          <h1 id="invitation-heading" className="page-title">
            {admin ? (
              <Trans>Join {orgName} as an admin</Trans>
            ) : (
              <Trans>Join {orgName} as a member</Trans>
            )}
          </h1>
          <p className="lead">
            {admin ? (
              <Trans>
                Members share secrets that only the organization can open, and see who opened them.
                Admins also invite people and manage members.
              </Trans>
            ) : (
              <Trans>
                Members share secrets that only the organization can open, and see who opened them.
              </Trans>
            )}
          </p>
        </div>

        <dl className="details">
          <div className="details__row">
            <dt>
              <Trans>Organization</Trans>
            </dt>
            <dd>{orgName}</dd>
          </div>
          <div className="details__row">
            <dt>
              <Trans>Role</Trans>
            </dt>
            <dd>{admin ? <Trans>Admin</Trans> : <Trans>Member</Trans>}</dd>
          </div>
          <div className="details__row">
            <dt>
              <Trans>For</Trans>
            </dt>
            <dd className="break-anywhere">
              <span className="ltr">{email}</span>
            </dd>
          </div>
        </dl>

        {error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}

        {session.status === "loading" ? null : !me ? (
          <>
            <p>
              <Trans>
                Create an account with <span className="ltr">{email}</span>, or sign in if you have
                one.
              </Trans>
            </p>
            <div className="form-actions">
              <a
                className="button button--primary button--large"
                href={signInHref(here, { page: "signup", email: invitation.email })}
              >
                <Trans>Create an account</Trans>
              </a>
              <a
                className="button button--secondary button--large"
                href={signInHref(here, { email: invitation.email })}
              >
                <Trans>Sign in</Trans>
              </a>
            </div>
          </>
        ) : sameAddress(me.user.email, invitation.email) ? (
          <div className="form-actions">
            <BusyButton
              className="button button--primary button--large button--wrap"
              busy={busy}
              spinner
              onClick={() => void accept(invitation)}
            >
              <span>{busy ? <Trans>Joining…</Trans> : <Trans>Join {orgName}</Trans>}</span>
            </BusyButton>
          </div>
        ) : (
          <>
            <Notice tone="warning">
              <Trans>
                You are signed in as <strong className="break-anywhere ltr">{signedIn}</strong>, but
                this invitation is for <strong className="break-anywhere ltr">{email}</strong>. Sign
                in with that address to accept it.
              </Trans>
            </Notice>
            <div className="form-actions">
              <BusyButton
                className="button button--primary button--wrap"
                busy={busy}
                onClick={() => void switchAccount(invitation)}
              >
                <Trans>
                  Sign out and continue as <span className="ltr">{email}</span>
                </Trans>
              </BusyButton>
            </div>
          </>
        )}
      </section>
    );
  }
}
