import { Trans, useLingui } from "@lingui/react/macro";
import { useState } from "react";
import { DEFAULT_MAX_SECRET_BYTES, EXPIRY_CHOICES, MAX_VIEWS } from "@hushlink/protocol/client";

import { LockIcon } from "../../components/icons";
import { StatusPage } from "../../components/StatusPage";
import type { PublicConfig } from "../../features/shares/api";
import { ShareCreated } from "../../features/shares/components/ShareCreated";
import { ShareForm, type CreatedShare } from "../../features/shares/components/ShareForm";
import { usePublicConfig } from "../../features/shares/use-public-config";
import { signInHref } from "../../lib/return-to";
import { useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";

/** What the form assumes until (or if never) the server tells its limits. */
const FALLBACK_CONFIG: PublicConfig = {
  maxSecretBytes: DEFAULT_MAX_SECRET_BYTES,
  maxExpiresIn: EXPIRY_CHOICES[EXPIRY_CHOICES.length - 1]?.seconds ?? 30 * 86400,
  maxViews: MAX_VIEWS,
  emailEnabled: false,
  passwordAttempts: 10,
  maxFiles: 20,
  maxFileBytes: 1024 ** 3,
  anonymousMaxFileBytes: 100 * 1024 ** 2,
};

export function SharePage() {
  const config = usePublicConfig() ?? FALLBACK_CONFIG;
  const { session } = useSession();
  const [created, setCreated] = useState<CreatedShare | null>(null);
  // A new key remounts the form, so "Share another" starts from a clean, empty form.
  const [formKey, setFormKey] = useState(0);
  const { t } = useLingui();
  useDocumentTitle(created ? t`Your secret link` : t`Share a secret`);

  if (created) {
    return (
      <div className="card">
        <ShareCreated
          share={created}
          onAnother={() => {
            setCreated(null);
            setFormKey((k) => k + 1);
          }}
        />
      </div>
    );
  }

  // ANONYMOUS_SHARING=off (SPEC F16): the server refuses shares without an account, so the form
  // is not offered to visitors at all; links they were sent still open.
  const signedOut = session.status === "signed-out" || session.status === "unknown";
  if (config.anonymousSharing === false && signedOut) {
    return (
      <div className="card">
        <StatusPage
          headingId="share-sign-in"
          icon={<LockIcon />}
          title={<Trans>Sign in to share a secret</Trans>}
        >
          <p className="lead">
            <Trans>
              On this server, only signed-in members can create secret links. Links someone sent you
              still open without an account.
            </Trans>
          </p>
          <p>
            <a className="button button--primary" href={signInHref("/")}>
              <Trans>Sign in</Trans>
            </a>
          </p>
        </StatusPage>
      </div>
    );
  }

  return (
    <div className="card">
      <div className="page-intro">
        <h1 className="page-title">
          <Trans>Share a secret</Trans>
        </h1>
        <p className="lead">
          <Trans>
            Passwords, API keys, private notes: get a link that works for a limited time and a
            limited number of views, then destroys itself.
          </Trans>
        </p>
      </div>
      <ShareForm key={formKey} config={config} onCreated={setCreated} />
    </div>
  );
}
