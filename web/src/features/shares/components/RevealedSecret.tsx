import type { ShareFile } from "@hushlink/protocol/client";

import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { englishPlural } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { SecretBox } from "./SecretBox";
import { RevealedFiles, type DownloadGrant } from "../../files/components/RevealedFiles";

export function RevealedSecret({
  text,
  note = null,
  files = null,
  viewsRemaining,
  destroy,
  onDestroy,
}: {
  text: string;
  /** The sender's message from inside the encrypted payload, if any. */
  note?: string | null;
  /** The share's files and the reveal's download grant, when it has files. */
  files?: { list: ShareFile[]; grant: DownloadGrant } | null;
  viewsRemaining: number | null;
  destroy: ActionState;
  onDestroy: () => Promise<void>;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const lastView = viewsRemaining === 0;

  return (
    <section className="stack" aria-labelledby="revealed-heading">
      <div className="page-intro">
        <h1 id="revealed-heading" className="page-title" ref={heading} tabIndex={-1}>
          Here is your secret
        </h1>
        <p className="lead">Decrypted in your browser. Copy it somewhere safe.</p>
      </div>

      {note && (
        <div className="sender-note" data-testid="sender-note">
          <p className="sender-note__label">Message from the sender</p>
          {/* Text only, like the secret: never parsed as HTML. */}
          <p className="sender-note__text">{note}</p>
        </div>
      )}

      {(text !== "" || !files) && <SecretBox text={text} />}

      {files && <RevealedFiles files={files.list} grant={files.grant} />}

      {lastView ? (
        <Notice tone="info">
          <strong>That was the last view.</strong>{" "}
          {files
            ? "The link will not open the secret again, and the Download buttons work only until the download window ends. Save what you need before you leave this page."
            : "The secret is now deleted from the server, and the link will not open it again. Copy it before you leave this page."}
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
              : `This link can still be opened ${englishPlural(viewsRemaining, "more time")}.`}{" "}
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
