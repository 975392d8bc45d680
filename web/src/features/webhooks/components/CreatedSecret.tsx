import { CopyField } from "../../../components/CopyField";
import { Notice } from "../../../components/Notice";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import type { CreatedWebhook } from "../api";

/** The endpoint just added, with its signing secret: the one time the server answers it. */
export function CreatedSecret({
  created,
  onDone,
}: {
  created: CreatedWebhook;
  onDone: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className="panel stack stack--tight created-token">
      <h3 className="section-title" ref={heading} tabIndex={-1}>
        Endpoint added
      </h3>
      <p className="break-anywhere">
        Deliveries go to <span className="mono">{created.url}</span>.
      </p>
      <Notice tone="warning">
        Copy the signing secret now: you will not see it again. Your receiver needs it to check the{" "}
        <code>webhook-signature</code> of every delivery. If it is lost, delete the endpoint and add
        it again.
      </Notice>
      <CopyField label="Signing secret" value={created.secret} copyLabel="Copy signing secret" />
      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onDone}>
          Done, I copied it
        </button>
      </div>
    </div>
  );
}
