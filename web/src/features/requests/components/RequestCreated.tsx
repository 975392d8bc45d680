import { useState } from "react";

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
 * to keep, which is the only key to the answer. `orgName` is null on the public page.
 */
export function RequestCreated({
  request,
  orgName,
  onAnother,
  headingLevel = 3,
}: {
  request: CreatedRequest;
  orgName: string | null;
  onAnother: () => void;
  headingLevel?: 1 | 3;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const Heading = headingLevel === 1 ? "h1" : "h3";
  const [deletion, setDeletion] = useState<ActionState>("idle");

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
            ? "This request is already gone."
            : "The request could not be deleted. Try again.",
      });
    }
  }

  if (deletion === "done") {
    return (
      <div className="stack stack--tight" data-testid="request-deleted">
        <Notice tone="success" role="status">
          Request deleted. Both links stop working; any answer and its files are gone.
        </Notice>
        <div className="form-actions">
          <button type="button" className="button button--secondary" onClick={onAnother}>
            Create another request
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="stack stack--tight" data-testid="request-created">
      <div className="page-intro">
        <span className="badge badge--success">
          <CheckIcon />
          Request created
        </span>
        <Heading
          className={headingLevel === 1 ? "page-title" : "section-title"}
          ref={heading}
          tabIndex={-1}
        >
          {request.name ? `Request link for “${request.name}”` : "Your request link is ready"}
        </Heading>
        <p className="field__hint">
          Send the request link to the person who has the secret. Their browser encrypts the answer
          to a key that only your reading link opens: the Hushlink server cannot read it.
        </p>
      </div>

      <CopyField
        label="Request link"
        value={request.requestLink}
        copyLabel="Copy request link"
        hint="Send this one. The part after # lets their browser check the key it encrypts to."
        actions={
          <ShareSheetButton
            url={request.requestLink}
            title="A request for a secret"
            label="Share the request link…"
          />
        }
      />

      <CopyField
        label="Reading link"
        value={request.readingLink}
        copyLabel="Copy reading link"
        variant="secondary"
        hint="Keep this one to yourself: it is the only key to the answer, and Hushlink cannot recover it."
      />
      {request.kept ? (
        <p className="field__hint" data-testid="request-kept">
          This browser keeps the reading key too
          {orgName ? ", so you can open the answer in the list below." : "."}
        </p>
      ) : (
        <Notice tone="warning">
          This browser could not keep the reading key: save the reading link now, or the answer
          cannot be opened.
        </Notice>
      )}

      <div className="created">
        <ul className="facts created__facts">
          <li className="facts__item">
            <LockIcon />
            <span>
              <strong>End-to-end encrypted</strong>
              <span className="facts__detail">
                Only the reading link opens the answer, in your browser.
              </span>
            </span>
          </li>
          <li className="facts__item">
            <ClockIcon />
            <span>
              <strong>Open until {formatDate(request.expiresAt)}</strong>
              <span className="facts__detail">
                It closes {formatTimeUntil(request.expiresAt)}, answered or not.
              </span>
            </span>
          </li>
          <li className="facts__item">
            <KeyIcon />
            <span>
              <strong>
                {request.access === "organization" && orgName
                  ? `Only members of ${orgName} can answer`
                  : "Anyone with the link can answer"}
              </strong>
              <span className="facts__detail">
                {request.access === "organization"
                  ? "They sign in first."
                  : "So send it privately, to the right person."}
              </span>
            </span>
          </li>
        </ul>
        <QrCode value={request.requestLink} label="QR code of the request link" />
      </div>

      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onAnother}>
          Create another request
        </button>
        {request.manageToken ? (
          <ConfirmButton
            question="Delete this request and any answer to it? Both links stop working."
            confirmLabel="Delete request"
            busy={deletion === "busy"}
            busyLabel="Deleting…"
            icon={<TrashIcon />}
            onConfirm={() => remove(request.manageToken ?? "")}
          >
            Delete request
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
