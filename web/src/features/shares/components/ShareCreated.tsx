import { CopyField } from "../../../components/CopyField";
import { ShareSheetButton } from "../../../components/ShareSheetButton";
import { CheckIcon, ClockIcon, KeyIcon, MailIcon, ShieldIcon } from "../../../components/icons";
import { describeLimits, formatDate, formatDuration } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { people } from "../recipients";
import type { CreatedShare } from "./ShareForm";
import { QrCode } from "./QrCode";

export function ShareCreated({ share, onAnother }: { share: CreatedShare; onAnother: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const emailed = share.sentTo.length > 0;
  const recipientsOnly = emailed && !share.externalRecipients;

  return (
    <section className="stack" aria-labelledby="created-heading">
      <div className="page-intro">
        <span className="badge badge--success">
          <CheckIcon />
          Encrypted and saved
        </span>
        <h1 id="created-heading" className="page-title" ref={heading} tabIndex={-1}>
          Your secret link is ready
        </h1>
        {recipientsOnly ? (
          <p className="lead">
            The link is on its way by e-mail. Only the people it was sent to can open it, signed in
            as that address.
          </p>
        ) : emailed ? (
          <p className="lead">
            The link is on its way by e-mail. Whoever has it still needs the password, so send the
            password another way.
          </p>
        ) : share.organizationOnly ? (
          <p className="lead">
            Send this link to the person who needs the secret. Only members of{" "}
            {share.organizationOnly} can open it, signed in; send it privately all the same.
          </p>
        ) : (
          <p className="lead">
            Send this link to the person who needs the secret. Anyone who has it can open it, so
            send it privately.
          </p>
        )}
      </div>

      <CopyField
        label="Share link"
        value={share.link}
        copyLabel="Copy share link"
        actions={
          <ShareSheetButton url={share.link} title="A secret for you" label="Share the link…" />
        }
      />

      <div className="created">
        <ul className="facts created__facts">
          {emailed && (
            <li className="facts__item" data-testid="sent-to">
              <MailIcon />
              <span>
                <strong>Sent by e-mail to {people(share.sentTo.length)}</strong>
                <span className="facts__detail break-anywhere">{share.sentTo.join(", ")}</span>
              </span>
            </li>
          )}
          <li className="facts__item">
            <ClockIcon />
            <span>
              <strong>{describeLimits(formatDuration(share.expiresIn), share.maxViews)}</strong>
              <span className="facts__detail">
                At the latest on {formatDate(share.expiresAt)}. Then the secret is deleted.
              </span>
            </span>
          </li>
          {share.organizationOnly && (
            <li className="facts__item">
              <ShieldIcon />
              <span>
                <strong>Only for {share.organizationOnly}</strong>
                <span className="facts__detail">
                  The recipient must sign in as a member to open it.
                </span>
              </span>
            </li>
          )}
          {share.hasPassword && (
            <li className="facts__item">
              <KeyIcon />
              <span>
                <strong>Protected by a password</strong>
                <span className="facts__detail">
                  Send the password by another channel, never with the link.
                </span>
              </span>
            </li>
          )}
        </ul>
        <QrCode value={share.link} label="QR code of the share link" />
      </div>

      {share.manageLink && (
        <div className="panel">
          <CopyField
            label="Manage link"
            value={share.manageLink}
            copyLabel="Copy manage link"
            variant="secondary"
            hint="Keep this one for yourself. It shows whether the secret was viewed and lets you delete it. It is shown only now."
          />
        </div>
      )}

      {share.inDashboard && (
        <div className="panel dashboard-hint">
          <p>
            {emailed
              ? "Your dashboard shows whether each e-mail was delivered and when the secret is viewed, and lets you delete it before it is."
              : "Your dashboard shows when it is viewed, and lets you delete it before it is."}
          </p>
          <a className="button button--secondary" href="/app">
            See it in your dashboard
          </a>
        </div>
      )}

      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onAnother}>
          Share another secret
        </button>
      </div>
    </section>
  );
}
