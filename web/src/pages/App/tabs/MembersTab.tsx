import { useCallback, useId, useRef, useState } from "react";

import { Announcer } from "../../../components/Announcer";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import { roleLabel, type Role } from "../../../lib/session";
import { dashboardApi, type Member } from "../../../features/dashboard/api";
import { ConfirmDialog } from "../../../features/dashboard/components/ConfirmDialog";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { dashboardError } from "../../../features/dashboard/errors";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import { onePage, usePagedList } from "../../../features/dashboard/use-paged-list";
import { Invitations } from "../../../features/orgs/components/Invitations";
import { MemberRole } from "../../../features/orgs/components/MemberRole";
import { orgSecondFactorApi } from "../../../features/orgs/second-factor-api";
import type { TabProps } from "./tab-props";

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
  const resetting = useConfirm<Member>(memberError);
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

  async function resetSecondFactor(member: Member) {
    const refocus = refocusAfter(sectionRef.current, `[data-member="${CSS.escape(member.email)}"]`);
    await orgSecondFactorApi.resetMember(org.id, member.userId);
    setAnnouncement(
      `${member.name ?? member.email}'s second factor was reset. They were told by e-mail.`,
    );
    await members.reload();
    return refocus;
  }

  const leavingSelf = removing.target?.userId === me.user.id;
  // The only admin can neither leave nor step down: say so beside the controls, before a click.
  const admins =
    members.list.kind === "ready" ? members.list.items.filter((m) => m.role === "admin") : [];
  const soleAdminId = admins.length === 1 ? (admins[0]?.userId ?? null) : null;

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
            const soleAdmin = member.userId === soleAdminId;
            return (
              <tr key={member.userId} className="data-table__row" data-member={member.email}>
                <th scope="row" className="data-table__name">
                  <span className="member">
                    <span className="member__name">
                      {who}
                      {self && <span className="badge badge--muted member__you">You</span>}
                    </span>
                    {member.name && <span className="member__email">{member.email}</span>}
                    {member.secondFactor !== undefined && (
                      <span className="member__email">
                        {member.secondFactor ? "Two-step sign-in on" : "No two-step sign-in"}
                      </span>
                    )}
                  </span>
                </th>
                <td data-label="Role">
                  {isAdmin ? (
                    <MemberRole
                      id={`${ids}-role-${member.userId}`}
                      who={who}
                      role={member.role}
                      busy={busyUser === member.userId}
                      lockedReason={
                        soleAdmin ? "The only admin: make someone else an admin first." : null
                      }
                      onChange={(role) => void changeRole(member, role)}
                    />
                  ) : (
                    roleLabel(member.role)
                  )}
                </td>
                <td className="data-table__actions">
                  {(self || isAdmin) && (
                    <span className="member-actions">
                      {isAdmin && !self && member.secondFactor === true && (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => resetting.ask(member)}
                        >
                          Reset second factor
                          <span className="visually-hidden"> of {who}</span>
                        </button>
                      )}
                      {self && soleAdmin && (
                        <span id={`${ids}-leave-${member.userId}`} className="member-role__note">
                          You cannot leave as the only admin.
                        </span>
                      )}
                      <button
                        type="button"
                        className="button button--danger-outline button--small"
                        disabled={soleAdmin}
                        aria-describedby={
                          self && soleAdmin ? `${ids}-leave-${member.userId}` : undefined
                        }
                        onClick={() => removing.ask(member)}
                      >
                        {self ? "Leave" : "Remove"}
                        {!self && <span className="visually-hidden"> {who}</span>}
                      </button>
                    </span>
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
        {...resetting.dialog}
        title="Reset this member's second factor?"
        confirmLabel="Reset second factor"
        busyLabel="Resetting…"
        onConfirm={() => void resetting.run(resetSecondFactor)}
      >
        <p>
          {`${resetting.target?.name ?? resetting.target?.email ?? ""}'s authenticator app and recovery codes stop working, and they are told by e-mail. Until they set up a new app, their password alone signs them in.`}
        </p>
      </ConfirmDialog>

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
