import { plural, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useRef, useState, type DragEvent } from "react";

import { CloseIcon, FileIcon, PaperclipIcon } from "../../../components/icons";
import { formatBytes } from "../../../lib/format";
import { SideBySide } from "../../../components/SideBySide";

export interface FileLimits {
  maxFiles: number;
  /** Plaintext bytes of all files; 0 means none may be attached. */
  maxBytes: number;
  signedIn: boolean;
}

export const totalBytes = (files: readonly { size: number }[]) =>
  files.reduce((n, file) => n + file.size, 0);

/** What stops these files from being shared, checked before anything is encrypted or sent. */
export function filesProblem(
  files: readonly { size: number }[],
  limits: FileLimits,
): string | null {
  if (files.length === 0) return null;
  if (limits.maxBytes === 0) {
    return limits.signedIn
      ? t`This server does not take files.`
      : t`Sign in to share files: this server takes none from visitors who are not signed in.`;
  }
  if (files.length > limits.maxFiles) {
    const chosen = files.length;
    const most = limits.maxFiles;
    return t`${plural(chosen, { one: "# file chosen", other: "# files chosen" })}; ${plural(most, { one: "at most # file fits in one secret.", other: "at most # files fit in one secret." })}`;
  }
  const total = totalBytes(files);
  if (total > limits.maxBytes) {
    const size = formatBytes(total);
    const limit = formatBytes(limits.maxBytes);
    return limits.signedIn
      ? t`The files take ${size}; the limit is ${limit}.`
      : t`The files take ${size}; the limit is ${limit} without signing in.`;
  }
  return null;
}

/** Files by picking or by drag and drop, listed with their sizes and the total against the limit. */
export function FilesField({
  id,
  files,
  onChange,
  limits,
  error,
  busy,
}: {
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
  limits: FileLimits;
  error: string | null;
  /** The form is busy: Choose files and Remove stay focusable but do nothing; drops are ignored. */
  busy: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const chooseRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [dragging, setDragging] = useState(false);
  // A file's Remove button goes with its file: the focus moves to the Remove button now in its
  // place (else the one before it, else Choose files) instead of dropping to <body>.
  const removedAt = useRef<number | null>(null);
  useEffect(() => {
    const at = removedAt.current;
    if (at === null) return;
    removedAt.current = null;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>("button") ?? [];
    (buttons[Math.min(at, buttons.length - 1)] ?? chooseRef.current)?.focus();
  }, [files]);
  const add = (more: FileList | null) => {
    if (more && more.length > 0) onChange([...files, ...Array.from(more)]);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!busy) add(event.dataTransfer.files);
  };
  const total = totalBytes(files);
  const off = limits.maxBytes === 0;
  const { t } = useLingui();
  const count = files.length;
  const size = formatBytes(total);
  const limit = formatBytes(limits.maxBytes);
  const most = limits.maxFiles;

  return (
    <div className="field">
      <span className="field__label" id={`${id}-label`}>
        <Trans>
          Files <span className="field__optional">(optional)</span>
        </Trans>
      </span>
      <div
        className={`dropzone${dragging ? " dropzone--active" : ""}`}
        data-testid="file-drop"
        onDragOver={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <input
          ref={input}
          id={`${id}-input`}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-labelledby={`${id}-label`}
          onChange={(event) => {
            add(event.target.files);
            event.target.value = "";
          }}
        />
        <button
          ref={chooseRef}
          type="button"
          className="button button--secondary"
          // Busy: ignored, as unlessBusy does (written out: it reads a ref).
          onClick={(event) => (busy ? event.preventDefault() : input.current?.click())}
          disabled={off}
          aria-disabled={busy || undefined}
          aria-describedby={`${id}-hint`}
        >
          <PaperclipIcon />
          <span>
            <Trans>Choose files</Trans>
          </span>
        </button>
        <span className="dropzone__text">{off ? "" : <Trans>or drop them here</Trans>}</span>
      </div>
      {files.length > 0 && (
        <ul ref={listRef} className="file-list" aria-label={t`Chosen files`}>
          {files.map((file, index) => {
            const name = file.name;
            return (
              <li className="file-list__item" key={`${index}-${name}`}>
                <FileIcon />
                <span className="file-list__name">{file.name}</span>
                <span className="file-list__size">{formatBytes(file.size)}</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t`Remove ${name}`}
                  title={t`Remove`}
                  aria-disabled={busy || undefined}
                  onClick={(event) => {
                    if (busy) return event.preventDefault();
                    removedAt.current = index;
                    onChange(files.filter((_, i) => i !== index));
                  }}
                >
                  <CloseIcon />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p className="field__hint" id={`${id}-hint`} data-testid="files-total">
        {off ? (
          limits.signedIn ? (
            <Trans>This server does not take files.</Trans>
          ) : (
            <Trans>Sign in to attach files.</Trans>
          )
        ) : (
          <SideBySide
            first={
              count > 0
                ? t`${plural(count, { one: "# file", other: "# files" })}, ${size} of ${limit}.`
                : t`${plural(most, { one: "Up to # file", other: "Up to # files" })}, ${limit} in total.`
            }
            second={
              <Trans>
                Encrypted in your browser: the server learns how many files and their sizes, never
                their names, types or contents.
              </Trans>
            }
          />
        )}
      </p>
      {error && (
        <p className="field__error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
