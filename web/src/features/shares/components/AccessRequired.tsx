import { t } from "@lingui/core/macro";
import { Trans } from "@lingui/react/macro";
import { useState } from "react";

import { LockIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";
import { signInHref } from "../../../lib/return-to";
import { useSession } from "../../../lib/session";
import { Gap } from "../../../components/SideBySide";
import { BusyButton } from "../../../components/BusyButton";

export type AccessProblem = "login_required" | "not_allowed";

/** Who may open a restricted share: its listed recipients, or an organization's members. */
export type Audience =
  /** `sentTo`: a recipient's own link says whose it is, masked (issue 19). */
  { kind: "recipients"; sentTo?: string } | { kind: "organization"; orgName: string | null };

function title(problem: AccessProblem, audience: Audience): string {
  if (audience.kind === "recipients") {
    return problem === "login_required"
      ? t`Sign in to open this secret`
      : t`This secret was sent to someone else`;
  }
  return problem === "login_required"
    ? t`Sign in to open this secret`
    : t`Your account is not in the sender's organization`;
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
      <Trans>
        You are signed in as{" "}
        <strong className="break-anywhere" dir="ltr">
          {email}
        </strong>
        .
      </Trans>
      <Gap />
    </>
  );
  const orgName = audience.kind === "organization" ? audience.orgName : null;
  const sentTo = audience.kind === "recipients" ? audience.sentTo : undefined;

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
              <Trans>
                This link was sent by e-mail to{" "}
                <strong className="break-anywhere" dir="ltr">
                  {sentTo}
                </strong>
                , and only that address can open it, signed in.
              </Trans>
              <Gap />
              {problem === "not_allowed" && signedInAs}
              <Trans>Sign in with that address.</Trans>
            </>
          ) : problem === "login_required" ? (
            <Trans>
              This secret was sent to specific people by e-mail. Sign in with the address it was
              sent to.
            </Trans>
          ) : (
            <>
              <Trans>
                This secret was sent to specific people by e-mail, and only they can open it, signed
                in with that address.
              </Trans>
              <Gap />
              {signedInAs}
              <Trans>If it was sent to another address of yours, sign in with that one.</Trans>
            </>
          )
        ) : problem === "login_required" ? (
          orgName ? (
            <Trans>
              This secret is only for members of {orgName}. Sign in with your account there to open
              it.
            </Trans>
          ) : (
            <Trans>
              This secret is only for members of the sender's organization. Sign in with your
              account there to open it.
            </Trans>
          )
        ) : (
          <>
            {orgName ? (
              <Trans>This secret is only for members of {orgName}.</Trans>
            ) : (
              <Trans>This secret is only for members of the sender's organization.</Trans>
            )}
            <Gap />
            {signedInAs}
            <Trans>
              Sign in with your account there, or ask the sender to share it with you another way.
            </Trans>
          </>
        )}
      </p>
      <p className="field__hint">
        <Trans>Opening this page did not use up the secret.</Trans>
      </p>
      <p>
        <BusyButton
          className="button button--primary button--large"
          busy={busy}
          spinner
          onClick={() => void signIn()}
        >
          <span>
            {problem === "login_required" ? (
              <Trans>Sign in</Trans>
            ) : (
              <Trans>Sign in with another account</Trans>
            )}
          </span>
        </BusyButton>
      </p>
    </StatusPage>
  );
}
