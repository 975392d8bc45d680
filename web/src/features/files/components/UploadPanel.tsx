import { t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useRef, useState } from "react";

import { Notice } from "../../../components/Notice";
import { isApiError, rateLimitedMessage } from "../../../lib/api";
import {
  uploadFiles,
  uploadStatus,
  type FilesOf,
  type Progress,
  type UploadItem,
} from "../transfer";
import { TransferProgress, progressText } from "./TransferProgress";
import { Gap } from "../../../components/SideBySide";

function messageOf(error: unknown): string {
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.name === "NotReadableError") {
    return t`A file could not be read any more (was it moved or changed?).`;
  }
  return t`The upload stopped.`;
}

/** "12.5 MB of 40 MB (31%) arrived." */
const arrived = (amount: string) => t`${amount} arrived.`;

/**
 * Encrypts and uploads a new share's files, with progress and Cancel. When the upload breaks off
 * (network, server restart), Resume asks the server what arrived and sends only the rest.
 */
export function UploadPanel({
  shareId,
  uploadToken,
  items,
  onDone,
  onCancel,
  of,
}: {
  /** "requests": the files of an answer to a request, `shareId` being the request's id. */
  of?: FilesOf;
  shareId: string;
  uploadToken: string;
  items: UploadItem[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const total = items.reduce((n, item) => n + item.meta.size, 0);
  const [progress, setProgress] = useState<Progress>({ done: 0, total, rate: 0 });
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { t } = useLingui();
  const running = useRef<AbortController | null>(null);
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  });

  useEffect(() => {
    const abort = new AbortController();
    running.current = abort;
    const run = async () => {
      // A resumed upload skips what the server already holds (SPEC §3.1, GET …/upload).
      const received =
        attempt > 0 ? await uploadStatus(shareId, uploadToken, abort.signal, of) : undefined;
      await uploadFiles({
        ...(of ? { of } : {}),
        shareId,
        uploadToken,
        items,
        ...(received ? { received } : {}),
        signal: abort.signal,
        onProgress: setProgress,
      });
    };
    run().then(
      () => {
        if (!abort.signal.aborted) done.current();
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setFailure(messageOf(error));
      },
    );
    return () => abort.abort();
  }, [attempt, shareId, uploadToken, items, of]);

  const cancel = () => {
    running.current?.abort();
    onCancel();
  };

  if (failure) {
    return (
      <div className="stack stack--tight" data-testid="upload-interrupted">
        <Notice tone="danger" role="alert">
          <strong>
            <Trans>The upload was interrupted.</Trans>
          </strong>
          <Gap />
          {failure} {arrived(progressText(progress, false))}
        </Notice>
        <div className="form-actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setFailure(null);
              setAttempt((n) => n + 1);
            }}
          >
            <Trans>Resume upload</Trans>
          </button>
          <button type="button" className="button button--ghost" onClick={cancel}>
            <Trans>Cancel and delete</Trans>
          </button>
        </div>
      </div>
    );
  }
  return (
    <TransferProgress
      label={t`Encrypting and uploading`}
      progress={progress}
      onCancel={cancel}
      cancelLabel={t`Cancel upload`}
    />
  );
}
