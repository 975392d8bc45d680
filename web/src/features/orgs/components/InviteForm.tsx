import { useId, useRef, useState, type FormEvent } from "react";

import { MailIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { isEmailAddress } from "../../../lib/email";
import { formatDate } from "../../../lib/format";
import type { Role } from "../../../lib/session";
import { dashboardApi, type SentInvitation } from "../../dashboard/api";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { dashboardError } from "../../dashboard/errors";

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
  const ids = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<SentInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const address = email.trim();
    setSent(null);
    if (!isEmailAddress(address)) {
      setError("Enter a valid e-mail address.");
      emailRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      setSent(await dashboardApi.invite(orgId, address, role));
      setEmail("");
      setRole("member");
      onSent();
    } catch (caught) {
      setError(
        isApiError(caught, "already_member")
          ? `${address} is already a member of ${orgName}.`
          : isApiError(caught, "invalid_request")
            ? "Enter a valid e-mail address."
            : dashboardError(caught),
      );
      emailRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title="Invite someone">
        They get an e-mail with a link to join {orgName}. Only an account with that address can
        accept it, once.
      </TabIntro>
      <form className="invite-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <div className="field invite-form__email">
          <label className="field__label" htmlFor={`${ids}-email`}>
            E-mail address
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
            Role
          </label>
          <select
            id={`${ids}-role`}
            className="input select"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            disabled={busy}
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <button
          type="submit"
          className="button button--primary invite-form__submit"
          disabled={busy}
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : <MailIcon />}
          <span>{busy ? "Sending…" : "Send invitation"}</span>
        </button>
      </form>
      {error && (
        <p id={`${ids}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite" className="live-region">
        {sent && (
          <Notice tone="success">
            Invitation sent to <strong className="break-anywhere">{sent.email}</strong> as{" "}
            {sent.role === "admin" ? "an admin" : "a member"}. The link works until{" "}
            {formatDate(sent.expiresAt)}.
          </Notice>
        )}
      </div>
    </section>
  );
}
