import { CopyField } from "../../../components/CopyField";
import { ShareSheetButton } from "../../../components/ShareSheetButton";
import { CheckIcon, ClockIcon, KeyIcon } from "../../../components/icons";
import { formatDate, formatTimeUntil } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { QrCode } from "../../shares/components/QrCode";
import type { CreatedRequest } from "./NewRequestForm";

/** The new request's link, to copy or scan, with what it allows; as the share page shows its link. */
export function RequestCreated({
  request,
  orgName,
  onAnother,
}: {
  request: CreatedRequest;
  orgName: string;
  onAnother: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();

  return (
    <div className="stack stack--tight" data-testid="request-created">
      <div className="page-intro">
        <span className="badge badge--success">
          <CheckIcon />
          Request created
        </span>
        <h3 className="section-title" ref={heading} tabIndex={-1}>
          {request.name ? `Request link for “${request.name}”` : "Your request link is ready"}
        </h3>
        <p className="field__hint">
          Send it to the person who has the secret. The first answer closes the request; you will
          find it in the list below.
        </p>
      </div>

      <CopyField
        label="Request link"
        value={request.url}
        copyLabel="Copy request link"
        actions={
          <ShareSheetButton
            url={request.url}
            title="A request for a secret"
            label="Share the request link…"
          />
        }
      />

      <div className="created">
        <ul className="facts created__facts">
          <li className="facts__item">
            <ClockIcon />
            <span>
              <strong>Open until {formatDate(request.expiresAt)}</strong>
              <span className="facts__detail">
                It closes {formatTimeUntil(request.expiresAt)}, answered or not.
              </span>
            </span>
          </li>
          <li className="facts__item">
            <KeyIcon />
            <span>
              <strong>
                {request.access === "organization"
                  ? `Only members of ${orgName} can answer`
                  : "Anyone with the link can answer"}
              </strong>
              <span className="facts__detail">
                {request.access === "organization"
                  ? "They sign in first."
                  : "So send it privately, to the right person."}
              </span>
            </span>
          </li>
        </ul>
        <QrCode value={request.url} label="QR code of the request link" />
      </div>

      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onAnother}>
          Create another request
        </button>
      </div>
    </div>
  );
}
