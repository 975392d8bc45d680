import { Plural, Trans, useLingui } from "@lingui/react/macro";
import type { ShareFile } from "@hushlink/protocol/client";

import { ConfirmButton, type ActionState } from "../../../components/ConfirmButton";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { SecretBox } from "./SecretBox";
import { RevealedFiles, type DownloadGrant } from "../../files/components/RevealedFiles";
import { Gap } from "../../../components/SideBySide";

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
  const { t } = useLingui();
  const lastView = viewsRemaining === 0;

  return (
    <section className="stack" aria-labelledby="revealed-heading">
      <div className="page-intro">
        <h1 id="revealed-heading" className="page-title" ref={heading} tabIndex={-1}>
          <Trans>Here is your secret</Trans>
        </h1>
        <p className="lead">
          <Trans>Decrypted in your browser. Copy it somewhere safe.</Trans>
        </p>
      </div>

      {note && (
        <div className="sender-note" data-testid="sender-note">
          <p className="sender-note__label">
            <Trans>Message from the sender</Trans>
          </p>
          {/* Text only, like the secret: never parsed as HTML. */}
          <p className="sender-note__text" dir="auto">
            {note}
          </p>
        </div>
      )}

      {(text !== "" || !files) && <SecretBox text={text} />}

      {files && <RevealedFiles files={files.list} grant={files.grant} />}

      {lastView ? (
        <Notice tone="info">
          <strong>
            <Trans>That was the last view.</Trans>
          </strong>
          <Gap />
          {files ? (
            <Trans>
              The link will not open the secret again, and the Download buttons work only until the
              download window ends. Save what you need before you leave this page.
            </Trans>
          ) : (
            <Trans>
              The secret is now deleted from the server, and the link will not open it again. Copy
              it before you leave this page.
            </Trans>
          )}
        </Notice>
      ) : destroy === "done" ? (
        <Notice tone="success" role="status" focus>
          <Trans>
            <strong>Destroyed.</strong> The secret is deleted from the server and the link no longer
            works for anyone.
          </Trans>
        </Notice>
      ) : (
        <div className="panel stack stack--tight">
          <p>
            {viewsRemaining === null ? (
              <Trans>This link can still be opened by anyone who has it, until it expires.</Trans>
            ) : (
              <Plural
                value={viewsRemaining}
                one="This link can still be opened # more time."
                other="This link can still be opened # more times."
              />
            )}
            <Gap />
            <Trans>If you are the only one who needs it, destroy it now.</Trans>
          </p>
          {typeof destroy === "object" && (
            <Notice tone="danger" role="alert">
              {destroy.error}
            </Notice>
          )}
          <div>
            <ConfirmButton
              icon={<TrashIcon />}
              question={t`Destroy this secret for everyone? The link will stop working at once.`}
              confirmLabel={t`Yes, destroy it`}
              busy={destroy === "busy"}
              busyLabel={t`Destroying…`}
              onConfirm={onDestroy}
            >
              <Trans>Destroy now</Trans>
            </ConfirmButton>
          </div>
        </div>
      )}
    </section>
  );
}
