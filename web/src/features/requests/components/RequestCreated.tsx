import { Trans, useLingui } from "@lingui/react/macro";
import { useState } from "react";

import { Fact } from "../../../components/Fact";
import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import { CopyField } from "../../../components/CopyField";
import { Notice } from "../../../components/Notice";
import { ShareSheetButton } from "../../../components/ShareSheetButton";
import { CheckIcon, ClockIcon, KeyIcon, LockIcon, TrashIcon } from "../../../components/icons";
import { isApiError, rateLimitedMessage } from "../../../lib/api";
import { formatDate, formatTimeUntil } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { QrCode } from "../../shares/components/QrCode";
import { requestsApi } from "../api";
import { forgetRequest } from "../kept";
import type { CreatedRequest } from "./NewRequestForm";

/**
 * A new end-to-end request (SPEC F13): the link to send (to copy or scan) and the reading link
 * to keep, which is the only key to the answer. `orgName` is null on the public page. Its heading
 * is the page's h1 on `/request`, and on the dashboard an h2 under the tab's h1 (an h3 there
 * skipped a level), with `headingId` so the section it replaces the form in keeps its name.
 */
export function RequestCreated({
  request,
  orgName,
  onAnother,
  headingLevel = 2,
  headingId,
}: {
  request: CreatedRequest;
  orgName: string | null;
  onAnother: () => void;
  headingLevel?: 1 | 2;
  headingId?: string;
}) {
  const { t } = useLingui();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const [deletion, setDeletion] = useState<ActionState>("idle");
  // Offered beside the new links and again once the request was deleted from here.
  const another = (
    <button type="button" className="button button--secondary" onClick={onAnother}>
      <Trans>Create another request</Trans>
    </button>
  );

  /** A request made without an account: its manage token deletes it, answer and files with it. */
  async function remove(manageToken: string) {
    setDeletion("busy");
    try {
      await requestsApi.removeWithManageToken(request.id, manageToken);
      await forgetRequest(request.id).catch(() => undefined);
      setDeletion("done");
    } catch (error) {
      setDeletion({
        error: isApiError(error, "rate_limited")
          ? rateLimitedMessage()
          : isApiError(error, "request_not_found")
            ? t`This request is already gone.`
            : t`The request could not be deleted. Try again.`,
      });
    }
  }

  if (deletion === "done") {
    return (
      <div className="stack stack--tight" data-testid="request-deleted">
        <Notice tone="success" role="status">
          <Trans>
            Request deleted. Both links stop working; any answer and its files are gone.
          </Trans>
        </Notice>
        <div className="form-actions">{another}</div>
      </div>
    );
  }

  const name = request.name;
  const until = formatDate(request.expiresAt);
  const left = formatTimeUntil(request.expiresAt);
  return (
    <div className="stack stack--tight" data-testid="request-created">
      <div className="page-intro">
        <span className="badge badge--success">
          <CheckIcon />
          <Trans context="badge of a request just created">Request created</Trans>
        </span>
        <Heading
          id={headingId}
          className={headingLevel === 1 ? "page-title" : "section-title"}
          ref={heading}
          tabIndex={-1}
        >
          {name ? t`Request link for “${name}”` : t`Your request link is ready`}
        </Heading>
        <p className="field__hint">
          <Trans>
            Send the request link to the person who has the secret. Their browser encrypts the
            answer to a key that only your reading link opens: the Hushlink server cannot read it.
          </Trans>
        </p>
      </div>

      <CopyField
        label={t`Request link`}
        value={request.requestLink}
        copyLabel={t`Copy request link`}
        hint={t`Send this one. The part after # lets their browser check the key it encrypts to.`}
        actions={
          <ShareSheetButton
            url={request.requestLink}
            title={t`A request for a secret`}
            label={t`Share the request link…`}
          />
        }
      />

      <CopyField
        label={t`Reading link`}
        value={request.readingLink}
        copyLabel={t`Copy reading link`}
        variant="secondary"
        hint={t`Keep this one to yourself: it is the only key to the answer, and Hushlink cannot recover it.`}
      />
      {request.kept ? (
        <p className="field__hint" data-testid="request-kept">
          {orgName
            ? t`This browser keeps the reading key too, so you can open the answer in the list below.`
            : t`This browser keeps the reading key too.`}
        </p>
      ) : (
        <Notice tone="warning">
          <Trans>
            This browser could not keep the reading key: save the reading link now, or the answer
            cannot be opened.
          </Trans>
        </Notice>
      )}

      <div className="created">
        <ul className="facts created__facts">
          <Fact
            icon={<LockIcon />}
            title={<Trans>End-to-end encrypted</Trans>}
            detail={<Trans>Only the reading link opens the answer, in your browser.</Trans>}
          />
          <Fact
            icon={<ClockIcon />}
            title={<Trans>Open until {until}</Trans>}
            detail={<Trans>It closes {left}, answered or not.</Trans>}
          />
          <Fact
            icon={<KeyIcon />}
            title={
              request.access === "organization" && orgName
                ? t`Only members of ${orgName} can answer`
                : t`Anyone with the link can answer`
            }
            detail={
              request.access === "organization"
                ? t`They sign in first.`
                : t`So send it privately, to the right person.`
            }
          />
        </ul>
        <QrCode value={request.requestLink} label={t`QR code of the request link`} />
      </div>

      <div className="form-actions">
        {another}
        {request.manageToken ? (
          <ConfirmButton
            question={t`Delete this request and any answer to it? Both links stop working.`}
            confirmLabel={t`Delete request`}
            busy={deletion === "busy"}
            busyLabel={t`Deleting…`}
            icon={<TrashIcon />}
            onConfirm={() => remove(request.manageToken ?? "")}
          >
            <Trans>Delete request</Trans>
          </ConfirmButton>
        ) : null}
      </div>
      {typeof deletion === "object" ? (
        <Notice tone="danger" role="alert">
          {deletion.error}
        </Notice>
      ) : null}
    </div>
  );
}
