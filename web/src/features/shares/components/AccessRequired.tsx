import { useState } from "react";

import { LockIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";
import { signInHref } from "../../../lib/return-to";
import { useSession } from "../../../lib/session";

export type AccessProblem = "login_required" | "not_allowed";

/** Who may open a restricted share: its listed recipients, or an organization's members. */
export type Audience =
  /** `sentTo`: a recipient's own link says whose it is, masked (issue 19). */
  { kind: "recipients"; sentTo?: string } | { kind: "organization"; orgName: string | null };

function title(problem: AccessProblem, audience: Audience): string {
  if (audience.kind === "recipients") {
    return problem === "login_required"
      ? "Sign in to open this secret"
      : "This secret was sent to someone else";
  }
  return problem === "login_required"
    ? "Sign in to open this secret"
    : "Your account is not in the sender's organization";
}

/**
 * A restricted share (SPEC F3: organization-only, or only its e-mail recipients) opened by
 * someone who may not reveal it as they are: said before the Reveal button, from the metadata's
 * `viewerAllowed`. Signing in comes back to the same link: the page removed the fragment from
 * the address bar, so the full link is handed to the sign-in page through this tab's
 * sessionStorage (never a URL query), only when the button is pressed.
 */
export function AccessRequired({
  problem,
  audience,
  linkSecret,
}: {
  problem: AccessProblem;
  audience: Audience;
  linkSecret: string;
}) {
  const { session, signOut } = useSession();
  const [busy, setBusy] = useState(false);

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
  const signedInAs = email && (
    <>
      You are signed in as <strong className="break-anywhere">{email}</strong>.{" "}
    </>
  );
  const members =
    audience.kind === "organization" && audience.orgName
      ? `members of ${audience.orgName}`
      : "members of the sender's organization";

  return (
    <StatusPage
      headingId="access-heading"
      data-access-problem={problem}
      icon={<LockIcon />}
      tone="mail"
      title={title(problem, audience)}
      focus
    >
      <p className="lead">
        {audience.kind === "recipients" ? (
          audience.sentTo ? (
            <>
              This link was sent by e-mail to{" "}
              <strong className="break-anywhere">{audience.sentTo}</strong>, and only that address
              can open it, signed in. {problem === "not_allowed" && signedInAs}Sign in with that
              address.
            </>
          ) : problem === "login_required" ? (
            <>
              This secret was sent to specific people by e-mail. Sign in with the address it was
              sent to.
            </>
          ) : (
            <>
              This secret was sent to specific people by e-mail, and only they can open it, signed
              in with that address. {signedInAs}If it was sent to another address of yours, sign in
              with that one.
            </>
          )
        ) : problem === "login_required" ? (
          <>This secret is only for {members}. Sign in with your account there to open it.</>
        ) : (
          <>
            This secret is only for {members}. {signedInAs}Sign in with your account there, or ask
            the sender to share it with you another way.
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
