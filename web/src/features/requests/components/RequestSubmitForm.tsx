import { useLingui } from "@lingui/react/macro";
import { useId, useRef, useState, type FormEvent } from "react";

import { FormSubmit } from "../../../components/FormSubmit";
import { LockIcon } from "../../../components/icons";
import { FilesField, filesProblem, type FileLimits } from "../../files/components/FilesField";
import { SecretField, secretTooLarge } from "../../shares/components/SecretField";

/**
 * The fields of a request page: the secret and, for an end-to-end request (`fileLimits`), files;
 * the secret checked against the server's size limit before it
 * is sent. The page does the sending and says what happened (`error` for what it cannot handle
 * itself, e.g. rate limits); the typed value stays here, so a failed send loses nothing.
 */
export function RequestSubmitForm({
  maxBytes,
  busy,
  error,
  onSubmit,
  fileLimits,
}: {
  maxBytes: number;
  busy: boolean;
  error: string | null;
  onSubmit: (value: string, files: File[]) => void;
  /** Files are offered (end-to-end requests, F13 with F12) within these limits. */
  fileLimits?: FileLimits | null;
}) {
  const ids = useId();
  const { t } = useLingui();
  const [value, setValue] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [filesError, setFilesError] = useState<string | null>(null);
  const [valueError, setValueError] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const problem =
      value.trim().length === 0 && files.length === 0
        ? t`Enter the secret you want to send.`
        : secretTooLarge(value, maxBytes);
    if (problem) {
      setValueError(problem);
      fieldRef.current?.focus();
      return;
    }
    const tooMany = fileLimits ? filesProblem(files, fileLimits) : null;
    if (tooMany) {
      setFilesError(tooMany);
      return;
    }
    setValueError(null);
    onSubmit(value, files);
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-busy={busy}>
      <SecretField
        id={`${ids}-value`}
        value={value}
        onChange={(next) => {
          setValue(next);
          if (valueError) setValueError(null);
        }}
        error={valueError}
        maxBytes={maxBytes}
        placeholder={t`Paste the password, API key or note that was asked for…`}
        shortenAdvice={t`Shorten it to send it.`}
        inputRef={fieldRef}
        readOnly={busy}
      />
      {fileLimits && fileLimits.maxBytes > 0 ? (
        <FilesField
          id={`${ids}-files`}
          files={files}
          onChange={(next) => {
            setFiles(next);
            setFilesError(filesProblem(next, fileLimits));
            if (valueError) setValueError(null);
          }}
          limits={fileLimits}
          error={filesError}
          busy={busy}
        />
      ) : null}
      <FormSubmit
        busy={busy}
        error={error}
        label={t`Send secret`}
        busyLabel={t`Sending…`}
        icon={<LockIcon />}
        large
        note={t`It can be sent once. You will not see it here again.`}
        announce
      />
    </form>
  );
}
