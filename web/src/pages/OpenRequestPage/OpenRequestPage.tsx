import { useState } from "react";
import { DecryptionError, READING_SECRET_BYTES, RequestKeyError } from "@hushlink/protocol/client";

import { AlertIcon, ClockIcon, EyeIcon, LockIcon } from "../../components/icons";
import { FormSubmit } from "../../components/FormSubmit";
import { StatusPage } from "../../components/StatusPage";
import { RequestAnswer } from "../../features/requests/components/RequestAnswer";
import { openEndToEndRequest, type OpenedRequest } from "../../features/requests/e2e";
import { isApiError, rateLimitedMessage } from "../../lib/api";
import { formatDate, formatTimeUntil } from "../../lib/format";
import { useDocumentTitle } from "../../lib/use-document-title";

type OpenState =
  | { kind: "ready" }
  | { kind: "opened"; opened: OpenedRequest }
  | { kind: "not-found" }
  | { kind: "broken" };

const TITLES: Record<OpenState["kind"], string> = {
  ready: "Open the answer",
  opened: "Your answer",
  "not-found": "Request not found",
  broken: "Link not usable",
};

/** 32 bytes of base64url without padding: 43 characters. */
const SECRET_LENGTH = Math.ceil((READING_SECRET_BYTES * 4) / 3);

function messageOf(error: unknown): string {
  if (error instanceof RequestKeyError) return error.message;
  if (error instanceof DecryptionError) {
    return "The answer could not be decrypted: it was changed on the server after it was sent.";
  }
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (error instanceof Error) return error.message;
  return "Something went wrong. Try again.";
}

/**
 * `/r/{id}/open#{R}`: the requester's reading link (SPEC F13). Nothing is asked of the server
 * until Open is pressed; then the answer is decrypted here with the key the link carries, which
 * the server never sees. Opening uses nothing up: the link opens the answer until the request
 * expires or is deleted. The tab keeps the key over a reload (lib/fragment.ts).
 */
export function OpenRequestPage({ id, fragment }: { id: string; fragment: string }) {
  const usable = /^[A-Za-z0-9_-]+$/.test(fragment) && fragment.length === SECRET_LENGTH;
  const [state, setState] = useState<OpenState>(usable ? { kind: "ready" } : { kind: "broken" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(TITLES[state.kind]);

  async function open() {
    setBusy(true);
    setError(null);
    try {
      setState({ kind: "opened", opened: await openEndToEndRequest(id, fragment) });
    } catch (caught) {
      if (isApiError(caught, "request_not_found") || isApiError(caught, "invalid_request")) {
        setState({ kind: "not-found" });
      } else {
        setError(messageOf(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  return <div className="card">{render()}</div>;

  function render() {
    switch (state.kind) {
      case "broken":
        return (
          <StatusPage
            headingId="open-broken"
            icon={<AlertIcon />}
            title="This reading link is not complete"
          >
            <p className="lead">
              {fragment
                ? "The key after # is damaged. Copy the whole reading link and open it again."
                : "The key after # is missing. Open the reading link exactly as you saved it."}
            </p>
          </StatusPage>
        );
      case "not-found":
        return (
          <StatusPage
            headingId="open-not-found"
            icon={<AlertIcon />}
            title="This request does not exist or has expired"
            focus
          >
            <p className="lead">
              Either the reading link is not this request&apos;s, or the request expired or was
              deleted, with its answer.
            </p>
          </StatusPage>
        );
      case "ready":
        return (
          <section className="stack" aria-labelledby="open-heading">
            <div className="page-intro">
              <span className="eyebrow">Your secret request</span>
              <h1 id="open-heading" className="page-title">
                Open the answer
              </h1>
              <p className="lead">
                The answer is decrypted in this browser with the key in your reading link. The
                server never sees that key, and cannot read the answer.
              </p>
            </div>
            <form
              className="stack"
              onSubmit={(event) => {
                event.preventDefault();
                if (!busy) void open();
              }}
            >
              <FormSubmit
                busy={busy}
                error={error}
                label="Open the answer"
                busyLabel="Opening…"
                icon={<EyeIcon />}
                large
                note="Opening uses nothing up: this link opens the answer until the request expires."
                announce
              />
            </form>
          </section>
        );
      case "opened":
        return state.opened.kind === "waiting" ? (
          <StatusPage
            headingId="open-waiting"
            icon={<ClockIcon />}
            title={state.opened.uploading ? "The answer is on its way" : "No answer yet"}
            focus
          >
            <p className="lead">
              {state.opened.uploading
                ? "Someone answered with files, which are still being uploaded. Check again in a moment. "
                : "Nobody has answered this request yet. "}
              It stays open until {formatDate(state.opened.expiresAt)} (
              {formatTimeUntil(state.opened.expiresAt)}). Keep this link and open it again later.
            </p>
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void open()}
              >
                Check again
              </button>
            </p>
          </StatusPage>
        ) : (
          <section className="stack" aria-labelledby="opened-heading">
            <div className="page-intro">
              <span className="eyebrow">
                <LockIcon /> Decrypted in this browser
              </span>
              <h1 id="opened-heading" className="page-title">
                Your answer
              </h1>
            </div>
            <RequestAnswer
              value={state.opened.payload.text}
              submittedAt={state.opened.submittedAt}
              files={state.opened.files}
            />
          </section>
        );
    }
  }
}
