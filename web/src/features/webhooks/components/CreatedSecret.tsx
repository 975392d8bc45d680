import { Trans, useLingui } from "@lingui/react/macro";

import { CopiedDone } from "../../dashboard/components/CopiedDone";
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
  const { t } = useLingui();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { url } = created;
  return (
    <div className="panel stack stack--tight created-token">
      <h3 className="section-title" ref={heading} tabIndex={-1}>
        <Trans>Endpoint added</Trans>
      </h3>
      <p className="break-anywhere">
        <Trans>
          Deliveries go to <span className="mono">{url}</span>.
        </Trans>
      </p>
      <Notice tone="warning">
        <Trans>
          Copy the signing secret now: you will not see it again. Your receiver needs it to check
          the <code>webhook-signature</code> of every delivery. If it is lost, delete the endpoint
          and add it again.
        </Trans>
      </Notice>
      <CopyField
        label={t`Signing secret`}
        value={created.secret}
        copyLabel={t`Copy signing secret`}
      />
      <CopiedDone onDone={onDone} />
    </div>
  );
}
