import { useState } from "react";

import { LockIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";
import { signInHref } from "../../../lib/return-to";
import { useSession } from "../../../lib/session";

export type AccessProblem = "login_required" | "not_allowed";

/**
 * An organization-only share (SPEC F3) opened by someone who is not signed in, or is signed in
 * outside the sender's organization. Signing in comes back to the same link: the page removed
 * the fragment from the address bar, so the full link is handed to the sign-in page through
 * this tab's sessionStorage (never a URL query), only when the button is pressed.
 */
export function AccessRequired({
  problem,
  linkSecret,
  orgName,
}: {
  problem: AccessProblem;
  linkSecret: string;
  /** The sender's organization, when the share's metadata names it. */
  orgName: string | null;
}) {
  const { session, signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const members = orgName ? `members of ${orgName}` : "members of the sender's organization";

  async function signIn() {
    setBusy(true);
    if (problem === "not_allowed") {
      try {
        await signOut();
      } catch {
        // Signed out or not, the sign-in page comes next.
      }
    }
    window.location.assign(signInHref(`/s#${linkSecret}`, { remember: true }));
  }

  const email = session.status === "signed-in" ? session.me.user.email : null;

  return (
    <StatusPage
      headingId="access-heading"
      icon={<LockIcon />}
      tone="mail"
      title={
        problem === "login_required"
          ? "Sign in to open this secret"
          : "Your account is not in the sender's organization"
      }
      focus
    >
      <p className="lead">
        {problem === "login_required" ? (
          <>This secret is only for {members}. Sign in to open it.</>
        ) : (
          <>
            This secret is only for {members}
            {email && (
              <>
                , and you are signed in as <strong className="break-anywhere">{email}</strong>
              </>
            )}
            . Sign in with your account there, or ask the sender to share it with you another way.
          </>
        )}
      </p>
      <p className="field__hint">Opening this page did not use up the secret.</p>
      <p>
        <button
          type="button"
          className="button button--primary button--large"
          disabled={busy}
          onClick={() => void signIn()}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          <span>{problem === "login_required" ? "Sign in" : "Sign in with another account"}</span>
        </button>
      </p>
    </StatusPage>
  );
}
