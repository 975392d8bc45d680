import { useId, useState } from "react";

import { CheckIcon, SignOutIcon } from "../../components/icons";
import { ResendVerification } from "../../features/accounts/components/ResendVerification";
import { roleLabel, useSession } from "../../lib/session";
import type { TabProps } from "./tabs";

/** Who you are: address, name, verification, organizations; and Sign out. */
export function AccountTab({ me }: Pick<TabProps, "me">) {
  const ids = useId();
  const { signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  async function doSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      window.location.assign("/");
    }
  }

  return (
    <div className="stack">
      <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <h2 id={`${ids}-heading`} className="section-title">
          Your account
        </h2>
        <dl className="details">
          <div className="details__row">
            <dt>E-mail address</dt>
            <dd className="break-anywhere">{me.user.email}</dd>
          </div>
          <div className="details__row">
            <dt>Name</dt>
            <dd>{me.user.name ?? <span className="details__muted">Not set</span>}</dd>
          </div>
          <div className="details__row">
            <dt>Verification</dt>
            <dd>
              {me.user.emailVerified ? (
                <span className="badge badge--success">
                  <CheckIcon />
                  Confirmed
                </span>
              ) : (
                <span className="verification">
                  <span className="badge badge--warning">Not confirmed yet</span>
                  <ResendVerification email={me.user.email} />
                </span>
              )}
            </dd>
          </div>
          <div className="details__row">
            <dt>Organizations</dt>
            <dd>
              <ul className="plain-list">
                {me.orgs.map((org) => (
                  <li key={org.id}>
                    {org.name} <span className="details__muted">· {roleLabel(org.role)}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div className="details__row">
            <dt>Password</dt>
            <dd>
              <a href="/forgot-password">Change it with a reset link</a>
            </dd>
          </div>
        </dl>
      </section>

      <div className="form-actions">
        <button
          type="button"
          className="button button--secondary"
          disabled={signingOut}
          onClick={() => void doSignOut()}
        >
          <SignOutIcon />
          <span>{signingOut ? "Signing out…" : "Sign out"}</span>
        </button>
      </div>
    </div>
  );
}
