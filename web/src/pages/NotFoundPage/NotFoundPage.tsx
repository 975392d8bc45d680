import { Trans, useLingui } from "@lingui/react/macro";

import { StatusPage } from "../../components/StatusPage";
import { useDocumentTitle } from "../../lib/use-document-title";

export function NotFoundPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Page not found`);
  return (
    <div className="card">
      <StatusPage headingId="page-missing-heading" title={<Trans>Page not found</Trans>}>
        <p className="lead">
          <Trans>There is nothing at this address.</Trans>
        </p>
        <p>
          <a className="button button--secondary" href="/">
            <Trans>Share a secret</Trans>
          </a>
        </p>
      </StatusPage>
    </div>
  );
}
