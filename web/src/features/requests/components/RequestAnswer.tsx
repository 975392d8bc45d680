import { useId } from "react";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { formatDate } from "../../../lib/format";
import { useCopy } from "../../../lib/use-copy";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";

/** A revealed answer: text only (never parsed as HTML), with Copy. The row's button hides it. */
export function RequestAnswer({
  value,
  submittedAt,
}: {
  value: string;
  submittedAt: string | null;
}) {
  const ids = useId();
  const { state, copy } = useCopy();
  // Focus lands on the answer, so a screen reader reads what was just revealed.
  const textRef = useFocusOnMount<HTMLPreElement>();

  return (
    <div className="secret request-answer">
      <div className="secret__toolbar">
        <span className="secret__label" id={`${ids}-label`}>
          Answer{" "}
          {submittedAt && <span className="secret__meta">sent {formatDate(submittedAt)}</span>}
        </span>
        <div className="secret__actions">
          <CopyButton state={state} onCopy={() => void copy(value)} label="Copy answer" />
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
      <CopyAnnouncement state={state} what="Answer" />
    </div>
  );
}
