import { t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useCallback, useState } from "react";

import { isApiError, sharesApi, type ManageStatus } from "../../features/shares/api";
import { ManageStatusView, ShareAnother } from "../../features/shares/components/ManageStatusView";
import type { ActionState } from "../../components/ConfirmButton";
import { AlertIcon } from "../../components/icons";
import { LoadFailed } from "../../components/LoadFailed";
import { Loading } from "../../components/Loading";
import { StatusPage } from "../../components/StatusPage";
import { useDocumentTitle } from "../../lib/use-document-title";
import { useLoaded } from "../../lib/use-loaded";

type PageState =
  | { kind: "loading" }
  | { kind: "not-found"; missingKey: boolean }
  | { kind: "failed"; message: string }
  | { kind: "ready"; share: ManageStatus };

/** The API's message is already in the page's language (lib/api.ts); ours when it sent none. */
function failure(error: unknown, doing: "load" | "delete"): string {
  if (error instanceof Error) return error.message;
  return doing === "load" ? t`Something went wrong.` : t`Deleting failed.`;
}

/** `/manage/{id}#{manageToken}` for anonymous creators: status, and Delete. */
export function ManagePage({ id, manageToken }: { id: string; manageToken: string }) {
  const { t } = useLingui();
  const [deleteState, setDeleteState] = useState<ActionState>("idle");
  useDocumentTitle(t`Manage secret`);

  const load = useCallback(async (): Promise<PageState> => {
    if (!manageToken) return { kind: "not-found", missingKey: true };
    try {
      return { kind: "ready", share: await sharesApi.manageStatus(id, manageToken) };
    } catch (error) {
      // A malformed id is refused by the schema (400) before any lookup: to a person it is the
      // same broken link as an unknown one.
      if (isApiError(error, "share_not_found") || isApiError(error, "invalid_request")) {
        return { kind: "not-found", missingKey: false };
      }
      return { kind: "failed", message: failure(error, "load") };
    }
  }, [id, manageToken]);
  const [state, setState] = useLoaded(load, { kind: "loading" });

  async function remove() {
    setDeleteState("busy");
    try {
      await sharesApi.deleteWithManageToken(id, manageToken);
      setDeleteState("done");
    } catch (error) {
      if (!isApiError(error, "share_gone")) {
        setDeleteState({ error: failure(error, "delete") });
        return;
      }
      setDeleteState("idle");
    }
    setState(await load());
  }

  return (
    <div className="card">
      {state.kind === "loading" && (
        <Loading>
          <Trans>Loading…</Trans>
        </Loading>
      )}
      {state.kind === "not-found" && (
        <StatusPage
          headingId="manage-missing-heading"
          icon={<AlertIcon />}
          title={t`This manage link does not work`}
        >
          <p className="lead">
            {state.missingKey ? (
              <Trans>
                A manage link ends with “#” and a key, and this address has none. Open the whole
                manage link you kept when you created the secret.
              </Trans>
            ) : (
              <Trans>
                No secret matches it. Check that you copied the whole link, including the part after
                “#”.
              </Trans>
            )}
          </p>
          <ShareAnother />
        </StatusPage>
      )}
      {state.kind === "failed" && (
        <LoadFailed
          headingId="manage-failed-heading"
          title={t`The secret could not be loaded`}
          message={state.message}
        />
      )}
      {state.kind === "ready" && (
        <ManageStatusView share={state.share} deleteState={deleteState} onDelete={remove} />
      )}
    </div>
  );
}
