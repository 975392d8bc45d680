import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useState, type FormEvent } from "react";
import { InvalidLinkError, parseReadingLink } from "@hushlink/protocol/client";

/**
 * An end-to-end answer this browser has no key for: the requester pastes the reading link. Its
 * secret stays in the page; only the read token derived from it goes to the server.
 */
export function ReadingLinkForm({
  requestId,
  name,
  error,
  onOpen,
  onError,
}: {
  requestId: string;
  name: string;
  error: string | null;
  onOpen: (readingSecret: string) => void;
  onError: (message: string) => void;
}) {
  const { t } = useLingui();
  const id = useId();
  const [link, setLink] = useState("");
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const parsed = parseReadingLink(link);
      if (parsed.id !== requestId) {
        onError(t`This reading link belongs to another request.`);
        return;
      }
      onOpen(parsed.readingSecret);
    } catch (caught) {
      // The protocol's message is English (it also serves the CLI): the page's own words instead.
      onError(
        caught instanceof InvalidLinkError
          ? t`This is not a Hushlink reading link: it looks like …/r/ID/open#SECRET.`
          : String(caught),
      );
    }
  }
  return (
    <form className="stack stack--tight" onSubmit={submit} noValidate>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-link`}>
          <Trans>Reading link of “{name}”</Trans>
        </label>
        <p className="field__hint" id={`${id}-hint`}>
          <Trans>
            This browser does not keep the key to this answer. Paste the reading link you saved when
            you made the request.
          </Trans>
        </p>
        <input
          id={`${id}-link`}
          className="input input--mono"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={link}
          onChange={(event) => setLink(event.target.value)}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={error ? true : undefined}
        />
        {error && (
          <p className="field__error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary button--small">
          <Trans>Open the answer</Trans>
        </button>
      </div>
    </form>
  );
}
