import { useEffect, useRef, useState } from "react";

import { Announcer } from "../../../components/Announcer";
import { CopyField } from "../../../components/CopyField";
import { ShareSheetButton } from "../../../components/ShareSheetButton";
import { CheckIcon, ClockIcon, KeyIcon, MailIcon, ShieldIcon } from "../../../components/icons";
import { describeLimits, formatDate, formatDuration } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { people } from "../recipients";
import type { CreatedShare } from "./ShareForm";
import { QrCode } from "./QrCode";
import { dashboardApi, type ShareRecipient } from "../../dashboard/api";
import { RecipientLinks } from "../../dashboard/components/RecipientLinks";

type Follow = NonNullable<CreatedShare["recipientLinksOf"]>;

/**
 * Each recipient's line of a share just created with a link per recipient (F14), read from the
 * dashboard's list (the newest of one's own shares) and read again while an e-mail is queued.
 */
function useRecipientLines(follow: Follow, sentTo: string[], maxViews: number | null) {
  const [lines, setLines] = useState<ShareRecipient[]>(() =>
    sentTo.map((email) => ({
      email,
      delivery: "queued",
      status: "active",
      viewCount: 0,
      maxViews,
      lastView: null,
    })),
  );
  const [version, setVersion] = useState(0);
  const polls = useRef(0);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function read() {
      try {
        const page = await dashboardApi.shares(follow.orgId, null, 20, { creator: "me" });
        const item = page.items.find((i) => i.id === follow.shareId);
        if (stop || !item) return;
        setLines(item.recipients);
        if (item.recipients.some((r) => r.delivery === "queued") && polls.current < 60) {
          polls.current += 1;
          timer = setTimeout(() => void read(), 2000);
        }
      } catch {
        // The lines keep what they said; the dashboard has the same list.
      }
    }
    void read();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [follow.orgId, follow.shareId, version]);

  function changed(recipientId: string, change?: (r: ShareRecipient) => ShareRecipient) {
    polls.current = 0;
    if (change) setLines((all) => all.map((r) => (r.id === recipientId ? change(r) : r)));
    setVersion((v) => v + 1);
  }
  return { lines, changed };
}

function RecipientStates({ share, follow }: { share: CreatedShare; follow: Follow }) {
  const { lines, changed } = useRecipientLines(follow, share.sentTo, share.maxViews);
  const [announcement, setAnnouncement] = useState("");
  return (
    <div className="panel created__recipients">
      <h2 className="section-title">Each recipient has a link of their own</h2>
      <p className="muted">
        Each link counts its own views and can be revoked alone. This browser keeps the links so
        that it can e-mail one again; the server keeps none.
      </p>
      <RecipientLinks
        shareId={follow.shareId}
        userId={follow.userId}
        recipients={lines}
        label="Recipients"
        onChanged={changed}
        announce={setAnnouncement}
      />
      <Announcer message={announcement} />
    </div>
  );
}

export function ShareCreated({ share, onAnother }: { share: CreatedShare; onAnother: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const emailed = share.sentTo.length > 0;
  const recipientsOnly = emailed && !share.externalRecipients;

  return (
    <section className="stack" aria-labelledby="created-heading">
      <div className="page-intro">
        <span className="badge badge--success">
          <CheckIcon />
          Encrypted and saved
        </span>
        <h1 id="created-heading" className="page-title" ref={heading} tabIndex={-1}>
          Your secret link is ready
        </h1>
        {share.recipientLinksOf ? (
          <p className="lead">
            Each recipient gets a link of their own by e-mail.{" "}
            {recipientsOnly
              ? "Only the person a link was sent to can open it, signed in as that address."
              : "They also need the password, so send it another way."}
          </p>
        ) : recipientsOnly ? (
          <p className="lead">
            The link is on its way by e-mail. Only the people it was sent to can open it, signed in
            as that address.
          </p>
        ) : emailed ? (
          <p className="lead">
            The link is on its way by e-mail. Whoever has it still needs the password, so send the
            password another way.
          </p>
        ) : share.organizationOnly ? (
          <p className="lead">
            Send this link to the person who needs the secret. Only members of{" "}
            {share.organizationOnly} can open it, signed in; send it privately all the same.
          </p>
        ) : (
          <p className="lead">
            Send this link to the person who needs the secret. Anyone who has it can open it, so
            send it privately.
          </p>
        )}
      </div>

      {share.link && (
        <CopyField
          label="Share link"
          value={share.link}
          copyLabel="Copy share link"
          actions={
            <ShareSheetButton url={share.link} title="A secret for you" label="Share the link…" />
          }
        />
      )}
      {share.recipientLinksOf && <RecipientStates share={share} follow={share.recipientLinksOf} />}

      <div className="created">
        <ul className="facts created__facts">
          {emailed && (
            <li className="facts__item" data-testid="sent-to">
              <MailIcon />
              <span>
                <strong>Sent by e-mail to {people(share.sentTo.length)}</strong>
                <span className="facts__detail break-anywhere">{share.sentTo.join(", ")}</span>
              </span>
            </li>
          )}
          <li className="facts__item">
            <ClockIcon />
            <span>
              <strong>{describeLimits(formatDuration(share.expiresIn), share.maxViews)}</strong>
              <span className="facts__detail">
                At the latest on {formatDate(share.expiresAt)}. Then the secret is deleted.
              </span>
            </span>
          </li>
          {share.organizationOnly && (
            <li className="facts__item">
              <ShieldIcon />
              <span>
                <strong>Only for {share.organizationOnly}</strong>
                <span className="facts__detail">
                  The recipient must sign in as a member to open it.
                </span>
              </span>
            </li>
          )}
          {share.hasPassword && (
            <li className="facts__item">
              <KeyIcon />
              <span>
                <strong>Protected by a password</strong>
                <span className="facts__detail">
                  Send the password by another channel, never with the link.
                </span>
              </span>
            </li>
          )}
        </ul>
        {share.link && <QrCode value={share.link} label="QR code of the share link" />}
      </div>

      {share.manageLink && (
        <div className="panel">
          <CopyField
            label="Manage link"
            value={share.manageLink}
            copyLabel="Copy manage link"
            variant="secondary"
            hint="Keep this one for yourself. It shows whether the secret was viewed and lets you delete it. It is shown only now."
          />
        </div>
      )}

      {share.inDashboard && (
        <div className="panel dashboard-hint">
          <p>
            {emailed
              ? "Your dashboard shows whether each e-mail was delivered and when the secret is viewed, and lets you delete it before it is."
              : "Your dashboard shows when it is viewed, and lets you delete it before it is."}
          </p>
          <a className="button button--secondary" href="/app">
            See it in your dashboard
          </a>
        </div>
      )}

      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onAnother}>
          Share another secret
        </button>
      </div>
    </section>
  );
}
