import { useId, type Ref } from "react";

import type { Me } from "../../../lib/session";
import type { SharingPolicy } from "../../policies/api";
import { RecipientsInput, type RecipientError, type RecipientsHandle } from "./RecipientsInput";

/** What a signed-in creator adds to a share (SPEC F1, F3, F5). */
export interface SignedInChoices {
  access: "anyone" | "organization";
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

/**
 * The options of F1/F3 that need an account: organization-only access and an e-mail at each
 * view, and the organization when the creator belongs to several. Anonymous creators have none,
 * so it renders nothing for them. E-mail recipients (F3) only when the server can send mail.
 */
export function SignedInOptions({
  me,
  value,
  onChange,
  disabled = false,
  emailEnabled = false,
  recipientsRef,
  recipientError = null,
  policy = null,
}: {
  me: Me | null;
  value: SignedInChoices;
  onChange: (value: SignedInChoices) => void;
  disabled?: boolean;
  /** GET /api/v1/config `emailEnabled`: without SMTP the recipients part is hidden (F9). */
  emailEnabled?: boolean;
  recipientsRef?: Ref<RecipientsHandle>;
  recipientError?: RecipientError | null;
  /** The organization's sharing policy (F16): what it forbids is shown off, with the reason. */
  policy?: SharingPolicy | null;
}) {
  const ids = useId();
  if (!me) return null;
  const org = me.orgs.find((o) => o.id === value.orgId) ?? me.orgs[0] ?? null;
  const orgOnly = value.access === "organization";
  const mustLimit = policy !== null && !policy.allowAnyoneWithLink;
  const noExternal = policy !== null && !policy.allowExternalRecipients;

  return (
    <fieldset className="options" disabled={disabled}>
      <legend className="options__legend">Access and notifications</legend>

      {org && me.orgs.length > 1 && (
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-org`}>
            Organization
          </label>
          <select
            id={`${ids}-org`}
            className="input select"
            value={org.id}
            onChange={(event) => onChange({ ...value, orgId: event.target.value })}
          >
            {me.orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )}

      {org && (
        <div className="check">
          <input
            id={`${ids}-org-only`}
            className="check__input"
            type="checkbox"
            checked={value.access === "organization"}
            disabled={mustLimit}
            onChange={(event) =>
              onChange({
                ...value,
                access: event.target.checked ? "organization" : "anyone",
                // SPEC F3: external recipients and organization-only access exclude each other.
                allowExternal: event.target.checked ? false : value.allowExternal,
              })
            }
            aria-describedby={`${ids}-org-only-hint`}
          />
          <label className="check__label" htmlFor={`${ids}-org-only`}>
            Limit access to people within organization
          </label>
          <p className="check__hint" id={`${ids}-org-only-hint`}>
            Only members of {org.name} can open the link, after signing in.
            {mustLimit && " Required by your organization's sharing policy."}
          </p>
        </div>
      )}

      {org && emailEnabled && (
        <div className="options__group">
          <RecipientsInput
            ref={recipientsRef}
            value={value.recipients}
            onChange={(recipients) => onChange({ ...value, recipients })}
            serverError={recipientError}
            disabled={disabled}
          />
          <div className="check">
            <input
              id={`${ids}-external`}
              className="check__input"
              type="checkbox"
              checked={value.allowExternal && !orgOnly}
              disabled={orgOnly || noExternal}
              onChange={(event) => onChange({ ...value, allowExternal: event.target.checked })}
              aria-describedby={`${ids}-external-hint`}
            />
            <label className="check__label" htmlFor={`${ids}-external`}>
              Allow external recipients
            </label>
            <p className="check__hint" id={`${ids}-external-hint`}>
              {noExternal
                ? "Your organization's sharing policy allows members of the organization only."
                : orgOnly
                  ? "Not with “Limit access to people within organization”: outsiders could not open it."
                  : value.allowExternal
                    ? "Any address may be listed. Each recipient must enter the password to open it."
                    : `Otherwise every address must belong to a member of ${org.name}, who opens it signed in.`}
            </p>
          </div>
          {value.allowExternal && !orgOnly && (
            <div className="check">
              <input
                id={`${ids}-code`}
                className="check__input"
                type="checkbox"
                checked={value.requireEmailCode}
                disabled={policy?.requireEmailCodes === true}
                onChange={(event) => onChange({ ...value, requireEmailCode: event.target.checked })}
                aria-describedby={`${ids}-code-hint`}
              />
              <label className="check__label" htmlFor={`${ids}-code`}>
                Ask external recipients for an e-mailed code
              </label>
              <p className="check__hint" id={`${ids}-code-hint`}>
                Each one gets a six-digit code at their address before Reveal, so the password alone
                does not open it.
                {policy?.requireEmailCodes && " Required by your organization's sharing policy."}
              </p>
            </div>
          )}
        </div>
      )}

      {org && !emailEnabled && (
        // Issue 25, defect 11: say why the recipients field is missing, and who can change it.
        <div className="options__group" data-testid="email-off">
          <p className="field__label">E-mail the link to</p>
          <p className="field__hint">
            Not available: this server cannot send e-mail, because no mail server (SMTP) is set up.
            Copy the link and send it yourself.
            {org.role === "admin" ? (
              <>
                {" "}
                To turn it on, whoever runs this Hushlink server sets <code>SMTP_URL</code> (for
                example <code>smtp://user:password@mail.example.com:587</code>) and{" "}
                <code>MAIL_FROM</code> in its environment and restarts it.
              </>
            ) : (
              " An admin of your organization can ask whoever runs this server to set it up."
            )}
          </p>
        </div>
      )}

      {org && (
        <div className="check">
          <input
            id={`${ids}-sender`}
            className="check__input"
            type="checkbox"
            checked={value.showSender}
            onChange={(event) => onChange({ ...value, showSender: event.target.checked })}
            aria-describedby={`${ids}-sender-hint`}
          />
          <label className="check__label" htmlFor={`${ids}-sender`}>
            Show my name and organization to the recipient
          </label>
          <p className="check__hint" id={`${ids}-sender-hint`}>
            The link&apos;s page says “Sent by {me.user.name || me.user.email} of {org.name}” before
            Reveal, so the recipient knows it is really from you.
          </p>
        </div>
      )}

      <div className="check">
        <input
          id={`${ids}-notify`}
          className="check__input"
          type="checkbox"
          checked={value.notifyOnView}
          onChange={(event) => onChange({ ...value, notifyOnView: event.target.checked })}
          aria-describedby={`${ids}-notify-hint`}
        />
        <label className="check__label" htmlFor={`${ids}-notify`}>
          E-mail me when it is viewed
        </label>
        <p className="check__hint" id={`${ids}-notify-hint`}>
          A message to {me.user.email} each time someone reveals it.
        </p>
      </div>
    </fieldset>
  );
}
