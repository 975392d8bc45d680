import type { MessageDescriptor } from "@lingui/core";
import { msg, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
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
import { Gap } from "../../components/SideBySide";

type OpenState =
  | { kind: "ready" }
  | { kind: "opened"; opened: OpenedRequest }
  | { kind: "not-found" }
  | { kind: "broken" };

const TITLES: Record<OpenState["kind"], MessageDescriptor> = {
  ready: msg`Open the answer`,
  opened: msg`Your answer`,
  "not-found": msg`Request not found`,
  broken: msg`Link not usable`,
};

/** 32 bytes of base64url without padding: 43 characters. */
const SECRET_LENGTH = Math.ceil((READING_SECRET_BYTES * 4) / 3);

function messageOf(error: unknown): string {
  // The protocol's errors speak English (it also serves the CLI): the page says them in words of its own.
  if (error instanceof RequestKeyError) {
    return t`The answer could not be opened: the reading link does not match this request.`;
  }
  if (error instanceof DecryptionError) {
    return t`The answer could not be decrypted: it was changed on the server after it was sent.`;
  }
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (error instanceof Error) return error.message;
  return t`Something went wrong. Try again.`;
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
  const { t, i18n } = useLingui();
  useDocumentTitle(i18n._(TITLES[state.kind]));

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
            title={t`This reading link is not complete`}
          >
            <p className="lead">
              {fragment
                ? t`The key after # is damaged. Copy the whole reading link and open it again.`
                : t`The key after # is missing. Open the reading link exactly as you saved it.`}
            </p>
          </StatusPage>
        );
      case "not-found":
        return (
          <StatusPage
            headingId="open-not-found"
            icon={<AlertIcon />}
            title={t`This request does not exist or has expired`}
            focus
          >
            <p className="lead">
              <Trans>
                Either the reading link is not this request&apos;s, or the request expired or was
                deleted, with its answer.
              </Trans>
            </p>
          </StatusPage>
        );
      case "ready":
        return (
          <section className="stack" aria-labelledby="open-heading">
            <div className="page-intro">
              <span className="eyebrow">
                <Trans>Your secret request</Trans>
              </span>
              <h1 id="open-heading" className="page-title">
                <Trans>Open the answer</Trans>
              </h1>
              <p className="lead">
                <Trans>
                  The answer is decrypted in this browser with the key in your reading link. The
                  server never sees that key, and cannot read the answer.
                </Trans>
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
                label={t`Open the answer`}
                busyLabel={t`Opening…`}
                icon={<EyeIcon />}
                large
                note={t`Opening uses nothing up: this link opens the answer until the request expires.`}
                announce
              />
            </form>
          </section>
        );
      case "opened": {
        if (state.opened.kind !== "waiting") return answered(state.opened);
        const until = formatDate(state.opened.expiresAt);
        const left = formatTimeUntil(state.opened.expiresAt);
        return (
          <StatusPage
            headingId="open-waiting"
            icon={<ClockIcon />}
            title={state.opened.uploading ? t`The answer is on its way` : t`No answer yet`}
            focus
          >
            <p className="lead">
              {state.opened.uploading
                ? t`Someone answered with files, which are still being uploaded. Check again in a moment.`
                : t`Nobody has answered this request yet.`}
              <Gap />
              <Trans>
                It stays open until {until} ({left}). Keep this link and open it again later.
              </Trans>
            </p>
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void open()}
              >
                <Trans>Check again</Trans>
              </button>
            </p>
          </StatusPage>
        );
      }
    }
  }
}

function answered(opened: Extract<OpenedRequest, { kind: "answered" }>) {
  return (
    <section className="stack" aria-labelledby="opened-heading">
      <div className="page-intro">
        <span className="eyebrow eyebrow--icon">
          <LockIcon />
          <Trans>Decrypted in this browser</Trans>
        </span>
        <h1 id="opened-heading" className="page-title">
          <Trans>Your answer</Trans>
        </h1>
      </div>
      <RequestAnswer
        value={opened.payload.text}
        submittedAt={opened.submittedAt}
        files={opened.files}
      />
    </section>
  );
}
