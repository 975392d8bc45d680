import { useCallback, useId, useRef, useState, type FormEvent } from "react";

import { Announcer } from "../../components/Announcer";
import { MailIcon, TrashIcon } from "../../components/icons";
import { Notice } from "../../components/Notice";
import { formatDate } from "../../lib/format";
import { isApiError } from "../../lib/api";
import { roleLabel, type Role } from "../../lib/session";
import {
  dashboardApi,
  type Member,
  type PendingInvitation,
  type SentInvitation,
} from "../../features/dashboard/api";
import { ConfirmDialog } from "../../features/dashboard/components/ConfirmDialog";
import { PagedTable } from "../../features/dashboard/components/PagedTable";
import { TabIntro } from "../../features/dashboard/components/TabIntro";
import { dashboardError } from "../../features/dashboard/errors";
import { formatShortDate } from "../../features/dashboard/format";
import { refocusAfter } from "../../features/dashboard/refocus";
import { useConfirm } from "../../features/dashboard/use-confirm";
import {
  onePage,
  usePagedList,
  type PagedListHandle,
} from "../../features/dashboard/use-paged-list";
import type { TabProps } from "./tabs";

const LAST_ADMIN =
  "An organization needs at least one admin. Make someone else an admin first, then try again.";

function memberError(error: unknown): string {
  return isApiError(error, "last_admin") ? LAST_ADMIN : dashboardError(error);
}

/**
 * SPEC F8: members and roles; admins invite, see and cancel pending invitations, change roles and
 * remove; anyone can leave.
 */
export function MembersTab({ me, org, refreshMe }: TabProps) {
  const ids = useId();
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [busyUser, setBusyUser] = useState<string | null>(null);
  const isAdmin = org.role === "admin";
  const fetchMembers = useCallback(() => onePage(dashboardApi.members(org.id)), [org.id]);
  const members = usePagedList(fetchMembers);
  const removing = useConfirm<Member>(memberError);
  const sectionRef = useRef<HTMLElement>(null);

  async function changeRole(member: Member, role: Role) {
    setBusyUser(member.userId);
    setError(null);
    try {
      await dashboardApi.setRole(org.id, member.userId, role);
      setAnnouncement(
        `${member.name ?? member.email} is now ${role === "admin" ? "an admin" : "a member"}.`,
      );
      await members.reload();
      if (member.userId === me.user.id) await refreshMe();
    } catch (caught) {
      setError(memberError(caught));
      await members.reload();
    } finally {
      setBusyUser(null);
    }
  }

  async function remove(member: Member) {
    const refocus = refocusAfter(sectionRef.current, `[data-member="${CSS.escape(member.email)}"]`);
    await dashboardApi.removeMember(org.id, member.userId);
    if (member.userId === me.user.id) {
      // Out of this organization: the shell switches to another one (or says there is none).
      void refreshMe();
      return;
    }
    setAnnouncement(`${member.name ?? member.email} was removed from ${org.name}.`);
    await members.reload();
    return refocus;
  }

  const leavingSelf = removing.target?.userId === me.user.id;

  return (
    <div className="stack">
      <section ref={sectionRef} className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <TabIntro headingId={`${ids}-heading`} title={`Members of ${org.name}`}>
          Members share secrets limited to the organization and see its shares. Admins also invite
          people, change roles and set the branding.
        </TabIntro>

        {error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}

        <PagedTable
          paged={members}
          loadingLabel="Loading the members…"
          // Never empty: the list has the reader in it.
          empty={null}
          caption={`Members of ${org.name}`}
          columns={["Member", "Role"]}
          renderRow={(member) => {
            const self = member.userId === me.user.id;
            const who = member.name ?? member.email;
            return (
              <tr key={member.userId} className="data-table__row" data-member={member.email}>
                <th scope="row" className="data-table__name">
                  <span className="member">
                    <span className="member__name">
                      {who}
                      {self && <span className="badge badge--muted member__you">You</span>}
                    </span>
                    {member.name && <span className="member__email">{member.email}</span>}
                  </span>
                </th>
                <td data-label="Role">
                  {isAdmin ? (
                    <>
                      <label className="visually-hidden" htmlFor={`${ids}-role-${member.userId}`}>
                        Role of {who}
                      </label>
                      <select
                        id={`${ids}-role-${member.userId}`}
                        className="input select input--compact"
                        value={member.role}
                        disabled={busyUser === member.userId}
                        onChange={(event) => void changeRole(member, event.target.value as Role)}
                      >
                        <option value="member">Member</option>
                        <option value="admin">Admin</option>
                      </select>
                    </>
                  ) : (
                    roleLabel(member.role)
                  )}
                </td>
                <td className="data-table__actions">
                  {(self || isAdmin) && (
                    <button
                      type="button"
                      className="button button--danger-outline button--small"
                      onClick={() => removing.ask(member)}
                    >
                      {self ? "Leave" : "Remove"}
                      {!self && <span className="visually-hidden"> {who}</span>}
                    </button>
                  )}
                </td>
              </tr>
            );
          }}
        />
      </section>

      {isAdmin && <Invitations orgId={org.id} orgName={org.name} />}

      <Announcer message={announcement} />

      <ConfirmDialog
        {...removing.dialog}
        title={leavingSelf ? `Leave ${org.name}?` : "Remove this member?"}
        confirmLabel={leavingSelf ? "Leave" : "Remove"}
        busyLabel={leavingSelf ? "Leaving…" : "Removing…"}
        onConfirm={() => void removing.run(remove)}
      >
        <p>
          {leavingSelf
            ? `You lose access to ${org.name}'s shares and to secrets limited to it. An admin can invite you again.`
            : `${removing.target?.name ?? removing.target?.email ?? ""} loses access to ${org.name}'s shares and to secrets limited to it.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}

/**
 * The admins' part of the tab: the invitation form and the pending invitations, which reload as
 * soon as one was sent.
 */
function Invitations({ orgId, orgName }: { orgId: string; orgName: string }) {
  const fetchPending = useCallback(() => onePage(dashboardApi.pendingInvitations(orgId)), [orgId]);
  const pending = usePagedList(fetchPending);
  return (
    <>
      <InviteForm orgId={orgId} orgName={orgName} onSent={() => void pending.reload()} />
      <PendingInvitations orgId={orgId} orgName={orgName} pending={pending} />
    </>
  );
}

function InviteForm({
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
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
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

/**
 * Invitations sent and not accepted yet (admins only). Cancelling one makes its link stop working
 * at once; the invitee sees the page for an invitation that does not work.
 */
function PendingInvitations({
  orgId,
  orgName,
  pending,
}: {
  orgId: string;
  orgName: string;
  pending: PagedListHandle<PendingInvitation>;
}) {
  const ids = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const cancelling = useConfirm<PendingInvitation>();
  const sectionRef = useRef<HTMLElement>(null);

  async function cancel({ id, email }: PendingInvitation) {
    const refocus = refocusAfter(sectionRef.current, `[data-invitation="${CSS.escape(email)}"]`);
    try {
      await dashboardApi.cancelInvitation(orgId, id);
      setNotice(null);
      setAnnouncement(`The invitation to ${email} was cancelled. Its link no longer works.`);
    } catch (caught) {
      if (!isApiError(caught, "invitation_not_found")) throw caught;
      // Accepted, expired or cancelled meanwhile (another admin, another tab): say so, and
      // show the list as it is now.
      setNotice(
        `The invitation to ${email} was no longer pending: it was accepted, cancelled or expired meanwhile.`,
      );
    }
    await pending.reload();
    return refocus;
  }

  return (
    <section ref={sectionRef} className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title="Pending invitations">
        Sent and not accepted yet. Each link works once, for seven days; cancel one to make its link
        stop working at once.
      </TabIntro>

      {notice && <Notice tone="info">{notice}</Notice>}

      <PagedTable
        paged={pending}
        loadingLabel="Loading the invitations…"
        smallLoading
        empty={<p className="muted">No invitations are waiting for an answer.</p>}
        caption={`Pending invitations to ${orgName}`}
        columns={["Invited address", "Role", "Invited by", "Link expires"]}
        renderRow={(invitation) => (
          <tr key={invitation.id} className="data-table__row" data-invitation={invitation.email}>
            <th scope="row" className="data-table__name">
              <span className="member">
                <span className="member__name">{invitation.email}</span>
                <span className="member__email">
                  Sent{" "}
                  <time dateTime={invitation.createdAt}>
                    {formatShortDate(invitation.createdAt)}
                  </time>
                </span>
              </span>
            </th>
            <td data-label="Role">{roleLabel(invitation.role)}</td>
            <td data-label="Invited by">
              {invitation.invitedBy ? (
                <span className="break-anywhere">
                  {invitation.invitedBy.name ?? invitation.invitedBy.email}
                </span>
              ) : (
                <span className="muted">A former member</span>
              )}
            </td>
            <td data-label="Link expires">
              <time dateTime={invitation.expiresAt}>{formatShortDate(invitation.expiresAt)}</time>
            </td>
            <td className="data-table__actions">
              <button
                type="button"
                className="button button--danger-outline button--small"
                onClick={() => cancelling.ask(invitation)}
              >
                <TrashIcon />
                <span>
                  Cancel
                  <span className="visually-hidden"> the invitation to {invitation.email}</span>
                </span>
              </button>
            </td>
          </tr>
        )}
      />

      <Announcer message={announcement} />

      <ConfirmDialog
        {...cancelling.dialog}
        title="Cancel this invitation?"
        confirmLabel="Cancel invitation"
        dismissLabel="Keep invitation"
        busyLabel="Cancelling…"
        onConfirm={() => void cancelling.run(cancel)}
      >
        <p>
          The link sent to{" "}
          <strong className="break-anywhere">{cancelling.target?.email ?? ""}</strong> stops working
          at once. You can invite them again later.
        </p>
      </ConfirmDialog>
    </section>
  );
}
