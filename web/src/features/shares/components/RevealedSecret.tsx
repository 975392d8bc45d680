import { useState } from "react";

import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { plural } from "../../../lib/format";
import { useCopy } from "../../../lib/use-copy";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";

export function RevealedSecret({
  text,
  viewsRemaining,
  destroy,
  onDestroy,
}: {
  text: string;
  viewsRemaining: number | null;
  destroy: ActionState;
  onDestroy: () => Promise<void>;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { state, copy } = useCopy();
  const [wrap, setWrap] = useState(true);
  const lastView = viewsRemaining === 0;

  return (
    <section className="stack" aria-labelledby="revealed-heading">
      <div className="page-intro">
        <h1 id="revealed-heading" className="page-title" ref={heading} tabIndex={-1}>
          Here is your secret
        </h1>
        <p className="lead">Decrypted in your browser. Copy it somewhere safe.</p>
      </div>

      <div className="secret">
        <div className="secret__toolbar">
          <span className="secret__label" id="secret-label">
            Secret
          </span>
          <div className="secret__actions">
            <button
              type="button"
              className="button button--ghost button--small"
              aria-pressed={wrap}
              onClick={() => setWrap((w) => !w)}
            >
              Wrap lines
            </button>
            <CopyButton state={state} onCopy={() => void copy(text)} label="Copy secret" />
          </div>
        </div>
        {/* Text content only: React escapes it, and it is never parsed as HTML. */}
        <pre
          className={`secret__text ${wrap ? "" : "secret__text--nowrap"}`}
          tabIndex={0}
          aria-labelledby="secret-label"
          data-testid="secret-text"
        >
          {text}
        </pre>
        <CopyAnnouncement state={state} what="Secret" />
      </div>

      {lastView ? (
        <Notice tone="info">
          <strong>That was the last view.</strong> The secret is now deleted from the server, and
          the link will not open it again. Copy it before you leave this page.
        </Notice>
      ) : destroy === "done" ? (
        <Notice tone="success" role="status">
          <strong>Destroyed.</strong> The secret is deleted from the server and the link no longer
          works for anyone.
        </Notice>
      ) : (
        <div className="panel stack stack--tight">
          <p>
            {viewsRemaining === null
              ? "This link can still be opened by anyone who has it, until it expires."
              : `This link can still be opened ${plural(viewsRemaining, "more time")}.`}{" "}
            If you are the only one who needs it, destroy it now.
          </p>
          {typeof destroy === "object" && (
            <Notice tone="danger" role="alert">
              {destroy.error}
            </Notice>
          )}
          <div>
            <ConfirmButton
              icon={<TrashIcon />}
              question="Destroy this secret for everyone? The link will stop working at once."
              confirmLabel="Yes, destroy it"
              busy={destroy === "busy"}
              busyLabel="Destroying…"
              onConfirm={onDestroy}
            >
              Destroy now
            </ConfirmButton>
          </div>
        </div>
      )}
    </section>
  );
}
