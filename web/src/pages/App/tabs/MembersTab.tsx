import { t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useCallback, useId, useRef, useState } from "react";

import { Address } from "../../../components/Address";
import { Announcer } from "../../../components/Announcer";
import {
  RecentProofPrompt,
  useRecentProof,
} from "../../../features/accounts/components/RecentProofPrompt";
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

function memberError(error: unknown): string {
  return isApiError(error, "last_admin")
    ? t`An organization needs at least one admin. Make someone else an admin first, then try again.`
    : dashboardError(error);
}

/**
 * SPEC F8: members and roles; admins invite, see and cancel pending invitations, change roles and
 * remove; anyone can leave.
 */
export function MembersTab({ me, org, refreshMe }: TabProps) {
  const { t } = useLingui();
  const orgName = org.name;
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
  // Making someone admin from a session signed in a while ago: the password, then again.
  const proof = useRecentProof();
  // Whom the password would make admin: the prompt names them (it sits above the table).
  const [promoting, setPromoting] = useState("");

  async function applyRole(member: Member, role: Role, password?: string) {
    await dashboardApi.setRole(org.id, member.userId, role, password);
    const who = member.name ?? member.email;
    setAnnouncement(role === "admin" ? t`${who} is now an admin.` : t`${who} is now a member.`);
    await members.reload();
    if (member.userId === me.user.id) await refreshMe();
  }

  async function changeRole(member: Member, role: Role) {
    setBusyUser(member.userId);
    setError(null);
    proof.cancel();
    try {
      await applyRole(member, role);
    } catch (caught) {
      if (proof.ask(caught, (password) => applyRole(member, role, password)))
        setPromoting(member.name ?? member.email);
      else setError(memberError(caught));
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
    const who = member.name ?? member.email;
    setAnnouncement(t`${who} was removed from ${orgName}.`);
    await members.reload();
    return refocus;
  }

  async function resetSecondFactor(member: Member) {
    const refocus = refocusAfter(sectionRef.current, `[data-member="${CSS.escape(member.email)}"]`);
    await orgSecondFactorApi.resetMember(org.id, member.userId);
    const who = member.name ?? member.email;
    setAnnouncement(t`${who}'s second factor was reset. They were told by e-mail.`);
    await members.reload();
    return refocus;
  }

  const leavingSelf = removing.target?.userId === me.user.id;
  const resettingWho = resetting.target?.name ?? resetting.target?.email ?? "";
  const removingWho = removing.target?.name ?? removing.target?.email ?? "";
  // The only admin can neither leave nor step down: say so beside the controls, before a click.
  const admins =
    members.list.kind === "ready" ? members.list.items.filter((m) => m.role === "admin") : [];
  const soleAdminId = admins.length === 1 ? (admins[0]?.userId ?? null) : null;

  return (
    <div className="stack">
      <section ref={sectionRef} className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <TabIntro headingId={`${ids}-heading`} title={t`Members of ${orgName}`}>
          <Trans>
            Members share secrets limited to the organization and see its shares. Admins also invite
            people, change roles and set the branding.
          </Trans>
        </TabIntro>

        {error && (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        )}
        <RecentProofPrompt
          proof={proof}
          label={t`Change role`}
          busyLabel={t`Saving…`}
          fieldLabel={t`Your password, to make ${promoting} an admin`}
        />

        <PagedTable
          paged={members}
          loadingLabel={t`Loading the members…`}
          // Never empty: the list has the reader in it.
          empty={null}
          caption={t`Members of ${orgName}`}
          columns={[t`Member`, t`Role`]}
          renderRow={(member) => {
            const self = member.userId === me.user.id;
            const who = member.name ?? member.email;
            const soleAdmin = member.userId === soleAdminId;
            return (
              <tr key={member.userId} className="data-table__row" data-member={member.email}>
                <th scope="row" className="data-table__name">
                  <span className="member">
                    <span className="member__name">
                      {member.name ?? <Address email={member.email} />}
                      {self && (
                        <span className="badge badge--muted member__you">
                          <Trans>You</Trans>
                        </span>
                      )}
                    </span>
                    {member.name && (
                      <span className="member__email">
                        <Address email={member.email} />
                      </span>
                    )}
                    {member.secondFactor !== undefined && (
                      <span className="member__email">
                        {member.secondFactor ? t`Two-step sign-in on` : t`No two-step sign-in`}
                      </span>
                    )}
                  </span>
                </th>
                <td data-label={t`Role`}>
                  {isAdmin ? (
                    <MemberRole
                      id={`${ids}-role-${member.userId}`}
                      who={who}
                      role={member.role}
                      busy={busyUser === member.userId}
                      lockedReason={
                        soleAdmin ? t`The only admin: make someone else an admin first.` : null
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
                          <Trans>
                            Reset second factor<span className="visually-hidden"> of {who}</span>
                          </Trans>
                        </button>
                      )}
                      {self && soleAdmin && (
                        <span id={`${ids}-leave-${member.userId}`} className="member-role__note">
                          <Trans>You cannot leave as the only admin.</Trans>
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
                        {self ? (
                          <Trans>Leave</Trans>
                        ) : (
                          <Trans>
                            Remove<span className="visually-hidden"> {who}</span>
                          </Trans>
                        )}
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
        title={t`Reset this member's second factor?`}
        confirmLabel={t`Reset second factor`}
        busyLabel={t`Resetting…`}
        onConfirm={() => void resetting.run(resetSecondFactor)}
      >
        <p>
          <Trans>
            {resettingWho}&apos;s authenticator app and recovery codes stop working, and they are
            told by e-mail. Until they set up a new app, their password alone signs them in.
          </Trans>
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        {...removing.dialog}
        title={leavingSelf ? t`Leave ${orgName}?` : t`Remove this member?`}
        confirmLabel={leavingSelf ? t`Leave` : t`Remove`}
        busyLabel={leavingSelf ? t`Leaving…` : t`Removing…`}
        onConfirm={() => void removing.run(remove)}
      >
        <p>
          {leavingSelf ? (
            <Trans>
              You lose access to {orgName}&apos;s shares and to secrets limited to it. An admin can
              invite you again.
            </Trans>
          ) : (
            <Trans>
              {removingWho} loses access to {orgName}&apos;s shares and to secrets limited to it.
            </Trans>
          )}
        </p>
      </ConfirmDialog>
    </div>
  );
}
