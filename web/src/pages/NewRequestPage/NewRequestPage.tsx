import { Trans, useLingui } from "@lingui/react/macro";
import { useState } from "react";

import { Notice } from "../../components/Notice";
import {
  NewRequestForm,
  type CreatedRequest,
} from "../../features/requests/components/NewRequestForm";
import { RequestCreated } from "../../features/requests/components/RequestCreated";
import { usePublicConfig } from "../../features/shares/use-public-config";
import { useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";

/**
 * `/request`: anyone asks for a secret (SPEC F13), with or without an account. The keys are made
 * in this browser; the page shows the link to send and the reading link to keep. A signed-in
 * visitor's request also lands in their dashboard.
 */
export function NewRequestPage() {
  const { t } = useLingui();
  const config = usePublicConfig();
  const { session } = useSession();
  const [created, setCreated] = useState<CreatedRequest | null>(null);
  const [formKey, setFormKey] = useState(0);
  useDocumentTitle(created ? t`Your request link` : t`Request a secret`);
  const signedIn = session.status === "signed-in";
  // Off only when the server says so; until then the form is there and the server decides.
  const closed = config?.anonymousRequests === false && !signedIn && session.status !== "loading";

  if (created) {
    return (
      <div className="card">
        <RequestCreated
          request={created}
          orgName={null}
          headingLevel={1}
          onAnother={() => {
            setCreated(null);
            setFormKey((k) => k + 1);
          }}
        />
      </div>
    );
  }

  return (
    <div className="card stack">
      <div className="page-intro">
        <span className="eyebrow">
          <Trans>End-to-end encrypted</Trans>
        </span>
        <h1 className="page-title">
          <Trans>Request a secret</Trans>
        </h1>
        <p className="lead">
          <Trans>
            Get a link that asks someone for a password, key or file. Their browser encrypts the
            answer so that only your reading link opens it; the server cannot read it.
          </Trans>
        </p>
      </div>
      {closed ? (
        <Notice tone="info">
          <Trans>
            This server lets only people with an account ask for secrets.{" "}
            <a href={`/login?next=${encodeURIComponent("/request")}`}>Sign in</a> to ask.
          </Trans>
        </Notice>
      ) : (
        <NewRequestForm key={formKey} org={null} onCreated={setCreated} />
      )}
    </div>
  );
}
