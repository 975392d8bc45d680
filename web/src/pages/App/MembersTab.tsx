import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";

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
import { dashboardError } from "../../features/dashboard/errors";
import { formatShortDate } from "../../features/dashboard/format";
import type { TabProps } from "./tabs";

type ListState =
  { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready"; items: Member[] };

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
  const [list, setList] = useState<ListState>({ kind: "loading" });
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [busyUser, setBusyUser] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  /** Bumped when an invitation was sent, so the pending list loads it at once. */
  const [invitationsSent, setInvitationsSent] = useState(0);
  const isAdmin = org.role === "admin";

  const fetchMembers = useCallback(async (): Promise<ListState> => {
    try {
      return { kind: "ready", items: (await dashboardApi.members(org.id)).items };
    } catch (caught) {
      return { kind: "failed", message: dashboardError(caught) };
    }
  }, [org.id]);

  useEffect(() => {
    let cancelled = false;
    void fetchMembers().then((next) => {
      if (!cancelled) setList(next);
    });
    return () => {
      cancelled = true;
    };
  }, [fetchMembers]);

  const load = async () => setList(await fetchMembers());

  async function changeRole(member: Member, role: Role) {
    setBusyUser(member.userId);
    setError(null);
    try {
      await dashboardApi.setRole(org.id, member.userId, role);
      setAnnouncement(
        `${member.name ?? member.email} is now ${role === "admin" ? "an admin" : "a member"}.`,
      );
      await load();
      if (member.userId === me.user.id) await refreshMe();
    } catch (caught) {
      setError(memberError(caught));
      await load();
    } finally {
      setBusyUser(null);
    }
  }

  async function confirmRemove() {
    if (!removing) return;
    const leaving = removing.userId === me.user.id;
    setRemoveBusy(true);
    setRemoveError(null);
    try {
      await dashboardApi.removeMember(org.id, removing.userId);
      setRemoving(null);
      if (leaving) {
        // Out of this organization: the shell switches to another one (or says there is none).
        await refreshMe();
        return;
      }
      setAnnouncement(`${removing.name ?? removing.email} was removed from ${org.name}.`);
      await load();
    } catch (caught) {
      setRemoveError(memberError(caught));
    } finally {
      setRemoveBusy(false);
    }
  }

  const leavingSelf = removing?.userId === me.user.id;

  return (
    <div className="stack">
      <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <div className="tab-intro">
          <div>
            <h2 id={`${ids}-heading`} className="section-title">
              Members of {org.name}
            </h2>
            <p className="field__hint">
              Members share secrets limited to the organization and see its shares. Admins also
              invite people, change roles and set the branding.
            </p>
          </div>
        </div>

        {error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}

        {list.kind === "loading" && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the members…
          </p>
        )}
        {list.kind === "failed" && (
          <Notice tone="danger" role="alert">
            {list.message}
          </Notice>
        )}
        {list.kind === "ready" && (
          <div className="data-table-wrap">
            <table className="data-table data-table--cards">
              <caption className="visually-hidden">Members of {org.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((member) => {
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
                            <label
                              className="visually-hidden"
                              htmlFor={`${ids}-role-${member.userId}`}
                            >
                              Role of {who}
                            </label>
                            <select
                              id={`${ids}-role-${member.userId}`}
                              className="input select input--compact"
                              value={member.role}
                              disabled={busyUser === member.userId}
                              onChange={(event) =>
                                void changeRole(member, event.target.value as Role)
                              }
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
                            onClick={() => {
                              setRemoveError(null);
                              setRemoving(member);
                            }}
                          >
                            {self ? "Leave" : "Remove"}
                            {!self && <span className="visually-hidden"> {who}</span>}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {isAdmin && (
        <InviteForm
          orgId={org.id}
          orgName={org.name}
          onSent={() => setInvitationsSent((n) => n + 1)}
        />
      )}

      {isAdmin && (
        <PendingInvitations orgId={org.id} orgName={org.name} reloadKey={invitationsSent} />
      )}

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      <ConfirmDialog
        open={removing !== null}
        title={leavingSelf ? `Leave ${org.name}?` : "Remove this member?"}
        confirmLabel={leavingSelf ? "Leave" : "Remove"}
        busyLabel={leavingSelf ? "Leaving…" : "Removing…"}
        busy={removeBusy}
        error={removeError}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {leavingSelf
            ? `You lose access to ${org.name}'s shares and to secrets limited to it. An admin can invite you again.`
            : `${removing?.name ?? removing?.email ?? ""} loses access to ${org.name}'s shares and to secrets limited to it.`}
        </p>
      </ConfirmDialog>
    </div>
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
      <div>
        <h2 id={`${ids}-heading`} className="section-title">
          Invite someone
        </h2>
        <p className="field__hint">
          They get an e-mail with a link to join {orgName}. Only an account with that address can
          accept it, once.
        </p>
      </div>
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

type PendingState =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; items: PendingInvitation[] };

/**
 * Invitations sent and not accepted yet (admins only). Cancelling one makes its link stop working
 * at once; the invitee sees the page for an invitation that does not work.
 */
function PendingInvitations({
  orgId,
  orgName,
  reloadKey,
}: {
  orgId: string;
  orgName: string;
  reloadKey: number;
}) {
  const ids = useId();
  const [list, setList] = useState<PendingState>({ kind: "loading" });
  const [cancelling, setCancelling] = useState<PendingInvitation | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const fetchPending = useCallback(async (): Promise<PendingState> => {
    try {
      return { kind: "ready", items: (await dashboardApi.pendingInvitations(orgId)).items };
    } catch (caught) {
      return { kind: "failed", message: dashboardError(caught) };
    }
  }, [orgId]);

  useEffect(() => {
    let cancelled = false;
    void fetchPending().then((next) => {
      if (!cancelled) setList(next);
    });
    return () => {
      cancelled = true;
    };
  }, [fetchPending, reloadKey]);

  async function confirmCancel() {
    if (!cancelling) return;
    const { email } = cancelling;
    setBusy(true);
    setCancelError(null);
    try {
      await dashboardApi.cancelInvitation(orgId, cancelling.id);
      setNotice(null);
      setAnnouncement(`The invitation to ${email} was cancelled. Its link no longer works.`);
    } catch (caught) {
      if (!isApiError(caught, "invitation_not_found")) {
        setCancelError(dashboardError(caught));
        setBusy(false);
        return;
      }
      // Accepted, expired or cancelled meanwhile (another admin, another tab): say so, and
      // show the list as it is now.
      setNotice(
        `The invitation to ${email} was no longer pending: it was accepted, cancelled or expired meanwhile.`,
      );
    }
    setCancelling(null);
    setBusy(false);
    setList(await fetchPending());
  }

  return (
    <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <div>
        <h2 id={`${ids}-heading`} className="section-title">
          Pending invitations
        </h2>
        <p className="field__hint">
          Sent and not accepted yet. Each link works once, for seven days; cancel one to make its
          link stop working at once.
        </p>
      </div>

      {notice && <Notice tone="info">{notice}</Notice>}

      {list.kind === "loading" && (
        <p className="loading loading--small" role="status">
          <span className="spinner" aria-hidden="true" /> Loading the invitations…
        </p>
      )}
      {list.kind === "failed" && (
        <Notice tone="danger" role="alert">
          {list.message}
        </Notice>
      )}
      {list.kind === "ready" && list.items.length === 0 && (
        <p className="muted">No invitations are waiting for an answer.</p>
      )}
      {list.kind === "ready" && list.items.length > 0 && (
        <div className="data-table-wrap">
          <table className="data-table data-table--cards">
            <caption className="visually-hidden">Pending invitations to {orgName}</caption>
            <thead>
              <tr>
                <th scope="col">Invited address</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Link expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((invitation) => (
                <tr
                  key={invitation.id}
                  className="data-table__row"
                  data-invitation={invitation.email}
                >
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
                    <time dateTime={invitation.expiresAt}>
                      {formatShortDate(invitation.expiresAt)}
                    </time>
                  </td>
                  <td className="data-table__actions">
                    <button
                      type="button"
                      className="button button--danger-outline button--small"
                      onClick={() => {
                        setCancelError(null);
                        setCancelling(invitation);
                      }}
                    >
                      <TrashIcon />
                      <span>
                        Cancel
                        <span className="visually-hidden">
                          {" "}
                          the invitation to {invitation.email}
                        </span>
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      <ConfirmDialog
        open={cancelling !== null}
        title="Cancel this invitation?"
        confirmLabel="Cancel invitation"
        dismissLabel="Keep invitation"
        busyLabel="Cancelling…"
        busy={busy}
        error={cancelError}
        onConfirm={() => void confirmCancel()}
        onCancel={() => setCancelling(null)}
      >
        <p>
          The link sent to <strong className="break-anywhere">{cancelling?.email ?? ""}</strong>{" "}
          stops working at once. You can invite them again later.
        </p>
      </ConfirmDialog>
    </section>
  );
}
