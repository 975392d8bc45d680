import { CopyField } from "../../../components/CopyField";
import { CheckIcon, ClockIcon, KeyIcon } from "../../../components/icons";
import { describeLimits, formatDate, formatDuration } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import type { CreatedShare } from "./ShareForm";
import { QrCode } from "./QrCode";

export function ShareCreated({ share, onAnother }: { share: CreatedShare; onAnother: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();

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
        <p className="lead">
          Send this link to the person who needs the secret. Anyone with the link can open it, so
          share it privately.
        </p>
      </div>

      <div className="created">
        <div className="created__main stack stack--tight">
          <CopyField label="Share link" value={share.link} copyLabel="Copy share link" />
          <p className="summary">
            <ClockIcon />
            <span>
              {describeLimits(formatDuration(share.expiresIn), share.maxViews)}
              <span className="summary__date"> (by {formatDate(share.expiresAt)})</span>.
            </span>
          </p>
          {share.hasPassword && (
            <p className="summary">
              <KeyIcon />
              <span>Protected by a password. Send the password separately, not with the link.</span>
            </p>
          )}
        </div>
        <QrCode value={share.link} label="QR code of the share link" />
      </div>

      {share.manageLink && (
        <div className="panel">
          <CopyField
            label="Manage link"
            value={share.manageLink}
            copyLabel="Copy manage link"
            hint="Keep this one for yourself: it shows whether the secret was viewed and lets you delete it before it is. It is not shown again."
          />
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
