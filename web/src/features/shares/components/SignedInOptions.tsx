import type { Access } from "@hushlink/protocol";
import { Trans, useLingui } from "@lingui/react/macro";
import { useId, type Ref } from "react";

import { CheckField } from "../../../components/CheckField";
import { OrgSelect } from "../../../components/OrgSelect";
import { useAreas } from "../../../i18n/use-areas";
import type { Me } from "../../../lib/session";
import type { SharingPolicy } from "../../policies/api";
import { RecipientsInput, type RecipientError, type RecipientsHandle } from "./RecipientsInput";
import { Gap } from "../../../components/SideBySide";

/** What a signed-in creator adds to a share (SPEC F1, F3, F5). */
export interface SignedInChoices {
  access: Access;
  notifyOnView: boolean;
  /** The organization the share belongs to (the dashboard's, unless picked here). */
  orgId: string | null;
  /** E-mail recipients (lower-cased); only when the server can send mail. */
  recipients: string[];
  /** Any address may be listed; a password is then mandatory (SPEC F3). */
  allowExternal: boolean;
  /** The link's page names the creator and organization before Reveal. */
  showSender: boolean;
  /** External recipients also need a code e-mailed to their address (issue 19); on by default. */
  requireEmailCode: boolean;
}

interface SignedInOptionsProps {
  me: Me | null;
  value: SignedInChoices;
  onChange: (value: SignedInChoices) => void;
  /** The form is busy: every option stays focusable and ignores changes (unlessBusy). */
  busy?: boolean;
  /** GET /api/v1/config `emailEnabled`: without SMTP the recipients part is hidden (F9). */
  emailEnabled?: boolean;
  recipientsRef?: Ref<RecipientsHandle>;
  recipientError?: RecipientError | null;
  /** The organization's sharing policy (F16): what it forbids is shown off, with the reason. */
  policy?: SharingPolicy | null;
}

/**
 * The options of F1/F3 that need an account: organization-only access and an e-mail at each
 * view, and the organization when the creator belongs to several. Anonymous creators have none,
 * so it renders nothing for them. E-mail recipients (F3) only when the server can send mail.
 */
export function SignedInOptions({ me, ...props }: SignedInOptionsProps) {
  // Anonymous visitors of "/" never fetch this area's messages (the page's budget).
  return me ? <Options me={me} {...props} /> : null;
}

/**
 * Its messages, and those of RecipientsInput inside it, are in the "share-signed-in" area, which
 * "/" does not load up front: nothing shows until they are here, so no message shows its id.
 */
function Options({
  me,
  value,
  onChange,
  busy = false,
  emailEnabled = false,
  recipientsRef,
  recipientError = null,
  policy = null,
}: SignedInOptionsProps & { me: Me }) {
  const ready = useAreas(["share-signed-in"]);
  const { t } = useLingui();
  const ids = useId();
  if (!ready) return null;
  const org = me.orgs.find((o) => o.id === value.orgId) ?? me.orgs[0] ?? null;
  const orgOnly = value.access === "organization";
  const mustLimit = policy !== null && !policy.allowAnyoneWithLink;
  const noExternal = policy !== null && !policy.allowExternalRecipients;
  const orgName = org?.name ?? "";
  const sender = me.user.name || me.user.email;
  const email = me.user.email;

  return (
    <fieldset className="options">
      <legend className="options__legend">
        <Trans>Access and notifications</Trans>
      </legend>

      {org && me.orgs.length > 1 && (
        <OrgSelect
          id={`${ids}-org`}
          label={<Trans>Organization</Trans>}
          orgs={me.orgs}
          value={org.id}
          onChange={(orgId) => onChange({ ...value, orgId })}
          busy={busy}
        />
      )}

      {org && (
        <CheckField
          id={`${ids}-org-only`}
          label={<Trans>Limit access to people within organization</Trans>}
          hint={
            <>
              <Trans>Only members of {orgName} can open the link, after signing in.</Trans>
              {mustLimit && <> {t`Required by your organization's sharing policy.`}</>}
            </>
          }
          checked={value.access === "organization"}
          disabled={mustLimit}
          busy={busy}
          onChange={(checked) =>
            onChange({
              ...value,
              access: checked ? "organization" : "anyone",
              // SPEC F3: external recipients and organization-only access exclude each other.
              allowExternal: checked ? false : value.allowExternal,
            })
          }
        />
      )}

      {org && emailEnabled && (
        <div className="options__group">
          <RecipientsInput
            ref={recipientsRef}
            value={value.recipients}
            onChange={(recipients) => onChange({ ...value, recipients })}
            serverError={recipientError}
            busy={busy}
          />
          <CheckField
            id={`${ids}-external`}
            label={<Trans>Allow external recipients</Trans>}
            hint={
              noExternal
                ? t`Your organization's sharing policy allows members of the organization only.`
                : orgOnly
                  ? t`Not with “Limit access to people within organization”: outsiders could not open it.`
                  : value.allowExternal
                    ? t`Any address may be listed. Each recipient must enter the password to open it.`
                    : t`Otherwise every address must belong to a member of ${orgName}, who opens it signed in.`
            }
            checked={value.allowExternal && !orgOnly}
            disabled={orgOnly || noExternal}
            busy={busy}
            onChange={(checked) => onChange({ ...value, allowExternal: checked })}
          />
          {value.allowExternal && !orgOnly && (
            <CheckField
              id={`${ids}-code`}
              label={<Trans>Ask external recipients for an e-mailed code</Trans>}
              hint={
                <>
                  <Trans>
                    Each one gets a six-digit code at their address before Reveal, so the password
                    alone does not open it.
                  </Trans>
                  {policy?.requireEmailCodes && (
                    <> {t`Required by your organization's sharing policy.`}</>
                  )}
                </>
              }
              checked={value.requireEmailCode}
              disabled={policy?.requireEmailCodes === true}
              busy={busy}
              onChange={(checked) => onChange({ ...value, requireEmailCode: checked })}
            />
          )}
        </div>
      )}

      {org && !emailEnabled && (
        // Issue 25, defect 11: say why the recipients field is missing, and who can change it.
        <div className="options__group" data-testid="email-off">
          <p className="field__label">
            <Trans>E-mail the link to</Trans>
          </p>
          <p className="field__hint">
            <Trans>
              Not available: this server cannot send e-mail, because no mail server (SMTP) is set
              up. Copy the link and send it yourself.
            </Trans>
            <Gap />
            {org.role === "admin" ? (
              <Trans>
                To turn it on, whoever runs this Hushlink server sets <code>SMTP_URL</code> (for
                example <code>smtp://user:password@mail.example.com:587</code>) and{" "}
                <code>MAIL_FROM</code> in its environment and restarts it.
              </Trans>
            ) : (
              <Trans>
                An admin of your organization can ask whoever runs this server to set it up.
              </Trans>
            )}
          </p>
        </div>
      )}

      {org && (
        <CheckField
          id={`${ids}-sender`}
          label={<Trans>Show my name and organization to the recipient</Trans>}
          hint={
            <Trans>
              The link&apos;s page says “Sent by <bdi>{sender}</bdi> of <bdi>{orgName}</bdi>” before
              Reveal, so the recipient knows it is really from you.
            </Trans>
          }
          checked={value.showSender}
          onChange={(checked) => onChange({ ...value, showSender: checked })}
          busy={busy}
        />
      )}

      <CheckField
        id={`${ids}-notify`}
        label={<Trans>E-mail me when it is viewed</Trans>}
        hint={
          <Trans>
            A message to <span className="ltr">{email}</span> each time someone reveals it.
          </Trans>
        }
        checked={value.notifyOnView}
        onChange={(checked) => onChange({ ...value, notifyOnView: checked })}
        busy={busy}
      />
    </fieldset>
  );
}
