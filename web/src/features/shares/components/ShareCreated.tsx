import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useRef, useState } from "react";

import { Fact } from "../../../components/Fact";
import { Announcer } from "../../../components/Announcer";
import { CopyField } from "../../../components/CopyField";
import { ShareSheetButton } from "../../../components/ShareSheetButton";
import { CheckIcon, ClockIcon, KeyIcon, MailIcon, ShieldIcon } from "../../../components/icons";
import { describeLimits, formatDate, formatDuration } from "../../../lib/format";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import type { CreatedShare } from "./ShareForm";
import { QrCode } from "./QrCode";
import { dashboardApi, type ShareRecipient } from "../../dashboard/api";
import { RecipientLinks } from "../../dashboard/components/RecipientLinks";
import { Gap } from "../../../components/SideBySide";

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
  const { t } = useLingui();
  return (
    <div className="panel created__recipients">
      <h2 className="section-title">
        <Trans>Each recipient has a link of their own</Trans>
      </h2>
      <p className="muted">
        <Trans>
          Each link counts its own views and can be revoked alone. This browser keeps the links so
          that it can e-mail one again; the server keeps none.
        </Trans>
      </p>
      <RecipientLinks
        shareId={follow.shareId}
        userId={follow.userId}
        recipients={lines}
        label={t`Recipients`}
        onChanged={changed}
        announce={setAnnouncement}
      />
      <Announcer message={announcement} />
    </div>
  );
}

export function ShareCreated({ share, onAnother }: { share: CreatedShare; onAnother: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { t } = useLingui();
  const emailed = share.sentTo.length > 0;
  const org = share.organizationOnly;
  const count = share.sentTo.length;
  const limits = describeLimits(formatDuration(share.expiresIn), share.maxViews);
  const latest = formatDate(share.expiresAt);
  const recipientsOnly = emailed && !share.externalRecipients;

  return (
    <section className="stack" aria-labelledby="created-heading">
      <div className="page-intro">
        <span className="badge badge--success">
          <CheckIcon />
          <Trans>Encrypted and saved</Trans>
        </span>
        <h1 id="created-heading" className="page-title" ref={heading} tabIndex={-1}>
          <Trans>Your secret link is ready</Trans>
        </h1>
        {share.recipientLinksOf ? (
          <p className="lead">
            <Trans>Each recipient gets a link of their own by e-mail.</Trans>
            <Gap />
            {recipientsOnly ? (
              <Trans>
                Only the person a link was sent to can open it, signed in as that address.
              </Trans>
            ) : (
              <Trans>They also need the password, so send it another way.</Trans>
            )}
          </p>
        ) : recipientsOnly ? (
          <p className="lead">
            <Trans>
              The link is on its way by e-mail. Only the people it was sent to can open it, signed
              in as that address.
            </Trans>
          </p>
        ) : emailed ? (
          <p className="lead">
            <Trans>
              The link is on its way by e-mail. Whoever has it still needs the password, so send the
              password another way.
            </Trans>
          </p>
        ) : share.organizationOnly ? (
          <p className="lead">
            <Trans>
              Send this link to the person who needs the secret. Only members of {org} can open it,
              signed in; send it privately all the same.
            </Trans>
          </p>
        ) : (
          <p className="lead">
            <Trans>
              Send this link to the person who needs the secret. Anyone who has it can open it, so
              send it privately.
            </Trans>
          </p>
        )}
      </div>

      {share.link && (
        <CopyField
          label={t`Share link`}
          value={share.link}
          copyLabel={t`Copy share link`}
          actions={
            <ShareSheetButton
              url={share.link}
              title={t`A secret for you`}
              label={t`Share the link…`}
            />
          }
        />
      )}
      {share.recipientLinksOf && <RecipientStates share={share} follow={share.recipientLinksOf} />}

      <div className="created">
        <ul className="facts created__facts">
          {emailed && (
            <Fact
              testId="sent-to"
              icon={<MailIcon />}
              title={
                <Plural
                  value={count}
                  one="Sent by e-mail to # person"
                  other="Sent by e-mail to # people"
                />
              }
              detailClassName="break-anywhere ltr"
              detail={share.sentTo.join(", ")}
            />
          )}
          <Fact
            icon={<ClockIcon />}
            title={limits}
            detail={<Trans>At the latest on {latest}. Then the secret is deleted.</Trans>}
          />
          {share.organizationOnly && (
            <Fact
              icon={<ShieldIcon />}
              title={<Trans>Only for {org}</Trans>}
              detail={<Trans>The recipient must sign in as a member to open it.</Trans>}
            />
          )}
          {share.hasPassword && (
            <Fact
              icon={<KeyIcon />}
              title={<Trans>Protected by a password</Trans>}
              detail={<Trans>Send the password by another channel, never with the link.</Trans>}
            />
          )}
        </ul>
        {share.link && <QrCode value={share.link} label={t`QR code of the share link`} />}
      </div>

      {share.manageLink && (
        <div className="panel">
          <CopyField
            label={t`Manage link`}
            value={share.manageLink}
            copyLabel={t`Copy manage link`}
            variant="secondary"
            hint={t`Keep this one for yourself. It shows whether the secret was viewed and lets you delete it. It is shown only now.`}
          />
        </div>
      )}

      {share.inDashboard && (
        <div className="panel dashboard-hint">
          <p>
            {emailed ? (
              <Trans>
                Your dashboard shows whether each e-mail was delivered and when the secret is
                viewed, and lets you delete it before it is.
              </Trans>
            ) : (
              <Trans>
                Your dashboard shows when it is viewed, and lets you delete it before it is.
              </Trans>
            )}
          </p>
          <a className="button button--secondary" href="/app">
            <Trans>See it in your dashboard</Trans>
          </a>
        </div>
      )}

      <div className="form-actions">
        <button type="button" className="button button--secondary" onClick={onAnother}>
          <Trans>Share another secret</Trans>
        </button>
      </div>
    </section>
  );
}
