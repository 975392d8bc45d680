import { useId, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { MailIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { unlessBusy } from "../../../lib/busy";
import { isEmailAddress } from "../../../lib/email";
import { formatDate } from "../../../lib/format";
import { useFormState } from "../../../lib/use-form-state";
import type { Role } from "../../../lib/session";
import { dashboardApi, type SentInvitation } from "../../dashboard/api";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { dashboardError } from "../../dashboard/errors";
import { RecentProofPrompt, useRecentProof } from "../../accounts/components/RecentProofPrompt";

/** An admin invites someone by address, as a member or an admin (SPEC F8). */
export function InviteForm({
  orgId,
  orgName,
  onSent,
}: {
  orgId: string;
  orgName: string;
  onSent: () => void;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [sent, setSent] = useState<SentInvitation | null>(null);
  // Every error shows under the one row and sends the focus back to the address.
  const { busy, error, start, run, setError, fieldRef: emailRef } = useFormState(dashboardError);
  // An admin invitation from a session signed in a while ago: the password, in place.
  const proof = useRecentProof();

  async function send(address: string, password?: string) {
    setSent(await dashboardApi.invite(orgId, address, role, password));
    setEmail("");
    setRole("member");
    onSent();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    const address = email.trim();
    setSent(null);
    if (!isEmailAddress(address)) {
      setError(t`Enter a valid e-mail address.`);
      emailRef.current?.focus();
      return;
    }
    await run(() => send(address), {
      failure: (caught) => {
        if (proof.ask(caught, (password) => send(address, password))) return null;
        emailRef.current?.focus();
        return isApiError(caught, "already_member")
          ? t`${address} is already a member of ${orgName}.`
          : isApiError(caught, "invalid_request")
            ? t`Enter a valid e-mail address.`
            : dashboardError(caught);
      },
    });
  }

  const expires = sent ? formatDate(sent.expiresAt) : "";
  const sentTo = sent?.email ?? "";
  return (
    <section className="panel stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Invite someone`}>
        <Trans>
          They get an e-mail with a link to join {orgName}. Only an account with that address can
          accept it, once.
        </Trans>
      </TabIntro>
      <RecentProofPrompt proof={proof} label={t`Send invitation`} busyLabel={t`Sending…`} />
      {!proof.retry && (
        <form className="invite-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
          <div className="field invite-form__email">
            <label className="field__label" htmlFor={`${ids}-email`}>
              <Trans>E-mail address</Trans>
            </label>
            <input
              ref={emailRef}
              id={`${ids}-email`}
              className="input"
              type="email"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${ids}-error` : undefined}
              readOnly={busy}
              placeholder="name@example.com"
            />
          </div>
          <div className="field invite-form__role">
            <label className="field__label" htmlFor={`${ids}-role`}>
              <Trans>Role</Trans>
            </label>
            <select
              id={`${ids}-role`}
              className="input select"
              value={role}
              onChange={unlessBusy(busy, (e) => setRole(e.target.value as Role))}
              aria-disabled={busy || undefined}
            >
              <option value="member">{t`Member`}</option>
              <option value="admin">{t`Admin`}</option>
            </select>
          </div>
          {/* Busy, aria-disabled rather than disabled, as in FormSubmit: a disabled button loses
              the focus to <body>. Its click while busy is cancelled instead: no second send. */}
          <button
            type="submit"
            className="button button--primary invite-form__submit"
            aria-disabled={busy || undefined}
            onClick={busy ? (event) => event.preventDefault() : undefined}
          >
            {busy ? <span className="spinner" aria-hidden="true" /> : <MailIcon />}
            <span>{busy ? t`Sending…` : t`Send invitation`}</span>
          </button>
        </form>
      )}
      {error && (
        <p id={`${ids}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite" className="live-region">
        {sent && (
          <Notice tone="success">
            {sent.role === "admin" ? (
              <Trans>
                Invitation sent to <strong className="break-anywhere">{sentTo}</strong> as an admin.
                The link works until {expires}.
              </Trans>
            ) : (
              <Trans>
                Invitation sent to <strong className="break-anywhere">{sentTo}</strong> as a member.
                The link works until {expires}.
              </Trans>
            )}
          </Notice>
        )}
      </div>
    </section>
  );
}
