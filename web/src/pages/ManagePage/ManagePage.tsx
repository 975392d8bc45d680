import { useCallback, useEffect, useState } from "react";

import { isApiError, sharesApi, type ManageStatus } from "../../features/shares/api";
import {
  ManageStatusView,
  type DeleteState,
} from "../../features/shares/components/ManageStatusView";
import { AlertIcon } from "../../components/icons";
import { useDocumentTitle } from "../../lib/use-document-title";

type PageState =
  | { kind: "loading" }
  | { kind: "not-found" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; share: ManageStatus };

/** `/manage/{id}#{manageToken}` for anonymous creators: status, and Delete. */
export function ManagePage({ id, manageToken }: { id: string; manageToken: string }) {
  const [state, setState] = useState<PageState>({ kind: "loading" });
  const [deleteState, setDeleteState] = useState<DeleteState>("idle");
  useDocumentTitle("Manage secret");

  const load = useCallback(async (): Promise<PageState> => {
    if (!manageToken) return { kind: "not-found" };
    try {
      return { kind: "ready", share: await sharesApi.manageStatus(id, manageToken) };
    } catch (error) {
      // A malformed id is refused by the schema (400) before any lookup: to a person it is the
      // same broken link as an unknown one.
      if (isApiError(error, "share_not_found") || isApiError(error, "invalid_request")) {
        return { kind: "not-found" };
      }
      return {
        kind: "failed",
        message: error instanceof Error ? error.message : "Something went wrong.",
      };
    }
  }, [id, manageToken]);

  useEffect(() => {
    let cancelled = false;
    void load().then((next) => {
      if (!cancelled) setState(next);
    });
    return () => {
      cancelled = true;
    };
  }, [load]);

  async function remove() {
    setDeleteState("busy");
    try {
      await sharesApi.deleteWithManageToken(id, manageToken);
      setDeleteState("done");
    } catch (error) {
      if (!isApiError(error, "share_gone")) {
        setDeleteState({ error: error instanceof Error ? error.message : "Deleting failed." });
        return;
      }
      setDeleteState("idle");
    }
    setState(await load());
  }

  return (
    <div className="card">
      {state.kind === "loading" && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {state.kind === "not-found" && (
        <section className="stack status-page" aria-labelledby="manage-missing-heading">
          <div className="status-page__icon status-page__icon--muted">
            <AlertIcon />
          </div>
          <h1 id="manage-missing-heading" className="page-title">
            This manage link does not work
          </h1>
          <p className="lead">
            No secret matches it. Check that you copied the whole link, including the part after
            “#”.
          </p>
        </section>
      )}
      {state.kind === "failed" && (
        <section className="stack status-page" aria-labelledby="manage-failed-heading">
          <h1 id="manage-failed-heading" className="page-title">
            The secret could not be loaded
          </h1>
          <p className="lead" role="alert">
            {state.message}
          </p>
        </section>
      )}
      {state.kind === "ready" && (
        <ManageStatusView share={state.share} deleteState={deleteState} onDelete={remove} />
      )}
    </div>
  );
}
