import { Trans, useLingui } from "@lingui/react/macro";
import { useId } from "react";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { formatDate } from "../../../lib/format";
import { useCopy } from "../../../lib/use-copy";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { RevealedFiles } from "../../files/components/RevealedFiles";
import type { AnswerFiles } from "../e2e";
import { Gap } from "../../../components/SideBySide";

/**
 * A revealed answer: text only (never parsed as HTML), with Copy, and an end-to-end answer's
 * files with their download buttons (decrypted in the page). The row's button hides it.
 */
export function RequestAnswer({
  value,
  submittedAt,
  files,
}: {
  value: string;
  submittedAt: string | null;
  files?: AnswerFiles | null | undefined;
}) {
  const { t } = useLingui();
  const ids = useId();
  const { state, copy } = useCopy();
  // Focus lands on the answer, so a screen reader reads what was just revealed.
  const textRef = useFocusOnMount<HTMLPreElement>();

  const sent = submittedAt ? formatDate(submittedAt) : null;
  const text = (
    <div className="secret request-answer">
      <div className="secret__toolbar">
        <span className="secret__label" id={`${ids}-label`}>
          <Trans context="the answer to a request">Answer</Trans>
          <Gap />
          {sent && (
            <span className="secret__meta">
              <Trans>sent {sent}</Trans>
            </span>
          )}
        </span>
        <div className="secret__actions">
          <CopyButton state={state} onCopy={() => void copy(value)} label={t`Copy answer`} />
        </div>
      </div>
      <pre
        ref={textRef}
        className="secret__text"
        tabIndex={0}
        aria-labelledby={`${ids}-label`}
        data-testid="request-answer"
      >
        {value}
      </pre>
      <CopyAnnouncement
        state={state}
        what={t({ message: "Answer", context: "the answer to a request" })}
      />
    </div>
  );
  if (!files) return text;
  return (
    <div className="stack">
      {text}
      <RevealedFiles files={files.files} grant={files.grant} />
    </div>
  );
}
