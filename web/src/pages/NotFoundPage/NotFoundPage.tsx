import { useDocumentTitle } from "../../lib/use-document-title";

export function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <div className="card">
      <section className="stack status-page" aria-labelledby="page-missing-heading">
        <h1 id="page-missing-heading" className="page-title">
          Page not found
        </h1>
        <p className="lead">There is nothing at this address.</p>
        <p>
          <a className="button button--secondary" href="/">
            Share a secret
          </a>
        </p>
      </section>
    </div>
  );
}
