import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useCallback, useState } from "react";
import {
  checkFingerprint,
  DEFAULT_MAX_SECRET_BYTES,
  encryptedSize,
  FingerprintMismatchError,
  newShareFile,
  sealAnswer,
} from "@hushlink/protocol/client";

import { LoadFailed } from "../../components/LoadFailed";
import { Loading } from "../../components/Loading";
import { brandingOf, useSetBranding } from "../../features/branding/context";
import type { FileLimits } from "../../features/files/components/FilesField";
import { UploadPanel } from "../../features/files/components/UploadPanel";
import type { UploadItem } from "../../features/files/transfer";
import { answerErrorMessage } from "../../features/requests/answer-errors";
import { requestsApi, type RequestMetadata } from "../../features/requests/api";
import { RequestStatus } from "../../features/requests/components/RequestStatus";
import { usePublicConfig } from "../../features/shares/use-public-config";
import { isApiError } from "../../lib/api";
import { useDocumentTitle } from "../../lib/use-document-title";
import { useLoaded } from "../../lib/use-loaded";
import { RequestOpen } from "./RequestOpen";

type PageState =
  | { kind: "loading" }
  /** `fingerprint`: checked against the request's key (end-to-end), or null (F6, no key). */
  | { kind: "open"; meta: RequestMetadata; fingerprint: string | null }
  | { kind: "sent"; meta: RequestMetadata }
  /** End-to-end with files: the answer is in, its files' chunks are on their way (§3.1). */
  | { kind: "uploading"; meta: RequestMetadata; uploadToken: string; items: UploadItem[] }
  | { kind: "answered"; meta: RequestMetadata | null }
  | { kind: "not-found" }
  /** `asker`: from the metadata, or from the branding a 401/403 of a branded organization carries. */
  | { kind: "sign-in"; asker: string | null }
  | { kind: "not-allowed"; asker: string | null }
  /** End-to-end: the key does not match the link, or the link lacks its fingerprint. */
  | { kind: "key-mismatch"; meta: RequestMetadata }
  | { kind: "incomplete"; meta: RequestMetadata }
  | { kind: "failed"; message: string };

const TITLES: Record<PageState["kind"], MessageDescriptor> = {
  loading: msg`Opening request`,
  open: msg`Secret request`,
  sent: msg`Secret sent`,
  uploading: msg`Sending files`,
  answered: msg`Request already answered`,
  "not-found": msg`Request not found`,
  "sign-in": msg`Sign in to answer`,
  "not-allowed": msg`Not allowed`,
  "key-mismatch": msg`Do not answer`,
  incomplete: msg`Link incomplete`,
  failed: msg`Something went wrong`,
};

/** Who asks, in words: the organization's name (branded or not), if the server says it. */
function askerOf(meta: RequestMetadata | null): string | null {
  return meta?.branding?.orgName ?? meta?.orgName ?? null;
}

/** Where an API error leaves the page, when it is one of the page's own states. */
function stateForError(error: unknown, meta: RequestMetadata | null): PageState | null {
  if (!isApiError(error)) return null;
  const asker = askerOf(meta) ?? brandingOf(error.details)?.orgName ?? null;
  switch (error.code) {
    case "request_fulfilled":
      return { kind: "answered", meta };
    case "request_not_found":
    case "request_gone":
      return { kind: "not-found" };
    case "login_required":
      return { kind: "sign-in", asker };
    case "not_allowed":
      return { kind: "not-allowed", asker };
  }
  if (error.status === 401) return { kind: "sign-in", asker };
  if (error.status === 404 || error.status === 410) return { kind: "not-found" };
  return null;
}

/**
 * The files an end-to-end answer may carry: a share's limits, those without an account for a
 * request made without one (it names no organization).
 */
function answerFileLimits(
  config: { maxFiles?: number; maxFileBytes?: number; anonymousMaxFileBytes?: number },
  meta: RequestMetadata,
): FileLimits {
  const maxBytes = meta.orgName ? config.maxFileBytes : config.anonymousMaxFileBytes;
  return { maxFiles: config.maxFiles ?? 0, maxBytes: maxBytes ?? 0, signedIn: true };
}

/**
 * An end-to-end request's key must hash to the link's fragment before anything is typed
 * (SPEC §3.2): a server that swaps the key to read the answer is caught here.
 */
async function checkedState(meta: RequestMetadata, fragment: string): Promise<PageState> {
  if (!meta.publicKey) return { kind: "open", meta, fingerprint: null };
  if (!fragment) return { kind: "incomplete", meta };
  try {
    await checkFingerprint(meta.publicKey, fragment);
  } catch (error) {
    // A mismatch, or a key that is not even a point: either way not the key the link names.
    if (error instanceof FingerprintMismatchError || error instanceof TypeError) {
      return { kind: "key-mismatch", meta };
    }
    throw error;
  }
  return { kind: "open", meta, fingerprint: fragment };
}

/**
 * `/r/{id}` (`#{fingerprint}` for end-to-end requests): someone asks for a secret (SPEC F6, F13).
 * The page says who asks and for what, takes the secret once, and then shows only that it was
 * sent: the value is never displayed again. An end-to-end request's answer is encrypted here, to
 * the requester's key, after its fingerprint is checked. A branded organization's request wears
 * its look (F7).
 */
export function RequestPage({ id, fragment }: { id: string; fragment: string }) {
  const config = usePublicConfig();
  const maxBytes = config?.maxSecretBytes ?? DEFAULT_MAX_SECRET_BYTES;
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  // After an action, the new view's heading takes focus; on first load the page starts at the top.
  const [acted, setActed] = useState(false);
  const setBranding = useSetBranding();
  const { t, i18n } = useLingui();

  const load = useCallback(async (): Promise<PageState> => {
    try {
      const meta = await requestsApi.metadata(id);
      setBranding(meta.branding ?? null);
      if (meta.status === "fulfilled") return { kind: "answered", meta };
      return await checkedState(meta, fragment);
    } catch (error) {
      setBranding(isApiError(error) ? brandingOf(error.details) : null);
      // A malformed id is refused by the schema before any lookup: the same broken link.
      if (isApiError(error, "invalid_request")) return { kind: "not-found" };
      return (
        stateForError(error, null) ?? { kind: "failed", message: answerErrorMessage(error, 0) }
      );
    }
  }, [id, fragment, setBranding]);
  const [state, setState] = useLoaded(load, { kind: "loading" });
  useDocumentTitle(i18n._(TITLES[state.kind]));

  async function submit(value: string, files: File[]) {
    if (state.kind !== "open") return;
    const { meta } = state;
    setSending(true);
    setSendError(null);
    try {
      if (meta.publicKey && state.fingerprint && files.length > 0) {
        // Each file gets its own key and blob id; names and types travel only inside the answer.
        const items: UploadItem[] = files.map((file) => ({
          file,
          meta: newShareFile({ name: file.name, type: file.type, size: file.size }),
        }));
        const sealed = await sealAnswer(meta.publicKey, {
          text: value,
          files: items.map((item) => item.meta),
        });
        const blobs = items.map((item) => ({
          id: item.meta.blob,
          size: encryptedSize(item.meta.size),
        }));
        const { uploadToken } = await requestsApi.submitWithFiles(id, { ...sealed, blobs });
        setActed(true);
        setState({ kind: "uploading", meta, uploadToken, items });
        return;
      }
      if (meta.publicKey && state.fingerprint) {
        // The key was checked against the link on load; seal to that same key.
        await requestsApi.submitSealed(id, await sealAnswer(meta.publicKey, { text: value }));
      } else {
        await requestsApi.submit(id, value);
      }
      setActed(true);
      setState({ kind: "sent", meta });
    } catch (error) {
      const next = stateForError(error, meta);
      if (next) {
        setActed(true);
        setState(next);
      } else {
        setSendError(answerErrorMessage(error, maxBytes));
      }
    } finally {
      setSending(false);
    }
  }

  const signInHref = `/login?next=${encodeURIComponent(`/r/${id}`)}`;

  return <div className="card">{render()}</div>;

  function render() {
    switch (state.kind) {
      case "loading":
        return (
          <Loading>
            <Trans>Opening the request…</Trans>
          </Loading>
        );
      case "open":
        return (
          <RequestOpen
            meta={state.meta}
            org={askerOf(state.meta)}
            fingerprint={state.fingerprint}
            maxBytes={maxBytes}
            sending={sending}
            error={sendError}
            onSubmit={(value, files) => void submit(value, files)}
            fileLimits={state.fingerprint && config ? answerFileLimits(config, state.meta) : null}
          />
        );
      case "uploading":
        return (
          <section className="stack" aria-labelledby="request-upload-heading">
            <h1 id="request-upload-heading" className="page-title" tabIndex={-1}>
              <Trans>Sending your files</Trans>
            </h1>
            <p className="lead">
              <Trans>
                Your answer is in. Its files are encrypted in this browser and uploaded now: keep
                this page open until they are all sent.
              </Trans>
            </p>
            <UploadPanel
              of="requests"
              shareId={id}
              uploadToken={state.uploadToken}
              items={state.items}
              onDone={() => setState({ kind: "sent", meta: state.meta })}
              onCancel={() =>
                setState({
                  kind: "failed",
                  message: t`The upload was stopped. The request takes no other answer until it frees itself, 24 hours after yours.`,
                })
              }
            />
          </section>
        );
      case "failed":
        return (
          <LoadFailed
            headingId="request-failed-heading"
            title={t`The request could not be loaded`}
            message={state.message}
            onRetry={() => void load().then(setState)}
          />
        );
      default:
        return (
          <RequestStatus
            state={state.kind}
            asker={"meta" in state ? askerOf(state.meta) : "asker" in state ? state.asker : null}
            signInHref={signInHref}
            focus={acted}
          />
        );
    }
  }
}
