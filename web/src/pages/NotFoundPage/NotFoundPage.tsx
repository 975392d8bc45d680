import { Trans, useLingui } from "@lingui/react/macro";

import { useDocumentTitle } from "../../lib/use-document-title";

export function NotFoundPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Page not found`);
  return (
    <div className="card">
      <section className="stack status-page" aria-labelledby="page-missing-heading">
        <h1 id="page-missing-heading" className="page-title">
          <Trans>Page not found</Trans>
        </h1>
        <p className="lead">
          <Trans>There is nothing at this address.</Trans>
        </p>
        <p>
          <a className="button button--secondary" href="/">
            <Trans>Share a secret</Trans>
          </a>
        </p>
      </section>
    </div>
  );
}
