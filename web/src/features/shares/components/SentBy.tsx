import { Trans } from "@lingui/react/macro";

import { UserIcon } from "../../../components/icons";
import type { ShareMetadata } from "../api";

/**
 * "Sent by Dana Ruiz of Acme Corp", before Reveal, when a signed-in member created the share and
 * left "show my name" on: the recipient can tell a real message from a lure before using it.
 */
export function SentBy({ sender }: { sender: ShareMetadata["sender"] }) {
  if (!sender) return null;
  const { name, orgName } = sender;
  return (
    <p className="sent-by" data-testid="sent-by">
      <UserIcon />
      <span>
        <Trans>
          Sent by <strong>{name}</strong> of <strong>{orgName}</strong>
        </Trans>
      </span>
    </p>
  );
}
