import { t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useRef, useState } from "react";
import type { RevealFiles } from "@hushlink/protocol";
import { FileDecryptionError, type ShareFile } from "@hushlink/protocol/client";

import { DownloadIcon, FileIcon } from "../../../components/icons";
import { isApiError, rateLimitedMessage } from "../../../lib/api";
import { formatBytes, formatDate } from "../../../lib/format";
import { saveFile, type FilesOf, type Progress } from "../transfer";
import { TransferProgress } from "./TransferProgress";

/** What the reveal answered for the files, and whose they are. */
export type DownloadGrant = Pick<RevealFiles, "downloadToken" | "downloadExpiresAt"> & {
  shareId: string;
  /** "requests": the files of an answer to a request, `shareId` being the request's id. */
  of?: FilesOf;
};

type FileState = "idle" | "saved" | { progress: Progress } | { error: string };

function messageOf(error: unknown): string {
  if (isApiError(error, "download_expired")) {
    return t`The download window has ended: the file is no longer on the server.`;
  }
  if (isApiError(error, "share_gone")) return t`The secret was destroyed; its files went with it.`;
  if (isApiError(error, "request_not_found"))
    return t`The request is gone; its files went with it.`;
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error)) return error.message;
  if (error instanceof FileDecryptionError) {
    // Counted from 1 for people; the service worker failed the browser's download as well.
    const part = error.chunk + 1;
    return t`The file could not be decrypted: part ${part} is damaged, missing or out of place. The download was stopped and is incomplete.`;
  }
  return t`The download stopped. Try again.`;
}

/** One file: its name, type and size, and a Download button that decrypts it in this page. */
function FileRow({ file, grant }: { file: ShareFile; grant: DownloadGrant }) {
  const [state, setState] = useState<FileState>("idle");
  const { t } = useLingui();
  const name = file.name;
  const type = file.type || t`unknown type`;
  const size = formatBytes(file.size);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  // Download gives way to the progress and its Cancel, which give way to Download again: each
  // button pressed goes away, which dropped the focus to <body>. While the focus was in this row,
  // it moves to the row's button of the moment (Cancel download, then Download again).
  const row = useRef<HTMLLIElement>(null);
  const keepFocus = useRef(false);
  useEffect(() => {
    if (!keepFocus.current) return;
    const focused = document.activeElement;
    if (!focused || focused === document.body) row.current?.querySelector("button")?.focus();
    if (!(typeof state === "object" && "progress" in state)) keepFocus.current = false;
  }, [state]);

  async function download() {
    const controller = new AbortController();
    abort.current = controller;
    keepFocus.current = row.current?.contains(document.activeElement) ?? false;
    setState({ progress: { done: 0, total: file.size, rate: 0 } });
    try {
      await saveFile({
        ...grant,
        file,
        signal: controller.signal,
        onProgress: (progress) => setState({ progress }),
      });
      setState("saved");
    } catch (error) {
      setState(controller.signal.aborted ? "idle" : { error: messageOf(error) });
    }
  }

  const busy = typeof state === "object" && "progress" in state;
  return (
    <li ref={row} className="download-list__item" data-testid="revealed-file">
      <div className="download-list__head">
        <FileIcon />
        <div className="download-list__facts">
          {/* The name as text, already cleaned (protocol sanitiseFileName): nothing renders it. */}
          <span className="download-list__name" data-testid="file-name">
            {file.name}
          </span>
          <span className="muted">
            <Trans>
              {type}, {size}
            </Trans>
          </span>
        </div>
        {!busy && (
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => void download()}
          >
            <DownloadIcon />
            <span>
              {state === "saved" ? <Trans>Download again</Trans> : <Trans>Download</Trans>}
            </span>
            <span className="visually-hidden"> {file.name}</span>
          </button>
        )}
      </div>
      {busy && (
        <TransferProgress
          label={t`Downloading and decrypting ${name}`}
          progress={state.progress}
          onCancel={() => abort.current?.abort()}
          cancelLabel={t`Cancel download`}
        />
      )}
      {state === "saved" && (
        <p className="field__hint" role="status">
          <Trans>Decrypted and saved to your downloads.</Trans>
        </p>
      )}
      {typeof state === "object" && "error" in state && (
        <p className="field__error" role="alert">
          {state.error}
        </p>
      )}
    </li>
  );
}

export function RevealedFiles({ files, grant }: { files: ShareFile[]; grant: DownloadGrant }) {
  const until = formatDate(grant.downloadExpiresAt);
  return (
    <section className="stack stack--tight" aria-labelledby="files-heading">
      <h2 id="files-heading" className="section-title">
        <Trans>Files</Trans>
      </h2>
      <ul className="download-list">
        {files.map((file) => (
          <FileRow key={file.blob} file={file} grant={grant} />
        ))}
      </ul>
      <p className="field__hint">
        <Trans>
          Each file is decrypted in this page and saved, never opened here. Download them before{" "}
          {until}.
        </Trans>
      </p>
    </section>
  );
}
