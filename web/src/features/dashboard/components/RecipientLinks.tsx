import type { MessageDescriptor } from "@lingui/core";
import { msg, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useState } from "react";

import { Address } from "../../../components/Address";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { MailIcon, TrashIcon } from "../../../components/icons";
import { isApiError } from "../../../lib/api";
import { forgetLinks, keptLink } from "../../shares/kept-links";
import { dashboardApi, type ShareRecipient } from "../api";
import { dashboardError } from "../errors";
import { viewsUsed } from "../format";
import { ShortDate } from "./RowCells";
import { StatusBadge } from "./StatusBadge";

const DELIVERY: Record<ShareRecipient["delivery"], { label: MessageDescriptor; tone: string }> = {
  queued: { label: msg`E-mail queued`, tone: "muted" },
  sent: { label: msg`E-mail sent`, tone: "success" },
  failed: { label: msg`E-mail failed`, tone: "danger" },
};

/** Why Resend cannot succeed for this line, or null when it can. */
function resendBlocked(recipient: ShareRecipient, secret: string | null): string | null {
  if (recipient.delivery === "queued") return t`The e-mail is on its way.`;
  if (!secret) {
    return t`Only the browser that created this share can send its link again: the server keeps no copy.`;
  }
  return null;
}

function LastViewed({ recipient }: { recipient: ShareRecipient }) {
  const last = recipient.lastView;
  if (!last) {
    return (
      <span className="muted">
        <Trans>Not viewed yet</Trans>
      </span>
    );
  }
  const when = <ShortDate at={last.at} full />;
  const ip = last.ip;
  const who = last.userEmail && <span className="break-anywhere">{last.userEmail}</span>;
  return (
    <span>
      {ip && who ? (
        <Trans>
          Last viewed {when} from {ip}, signed in as {who}
        </Trans>
      ) : ip ? (
        <Trans>
          Last viewed {when} from {ip}
        </Trans>
      ) : who ? (
        <Trans>
          Last viewed {when}, signed in as {who}
        </Trans>
      ) : (
        <Trans>Last viewed {when}</Trans>
      )}
    </span>
  );
}

/**
 * One line of a share with a link per recipient (F14): how far the e-mail got, the link's views
 * and last view, and what the sender can do with this link alone: Revoke it, send it again
 * (Resend), or send it again after a failed delivery (Retry). Actions that cannot succeed are
 * disabled with the reason beside them.
 */
function RecipientLine({
  shareId,
  userId,
  recipient,
  onChanged,
  announce,
}: {
  shareId: string;
  userId: string;
  recipient: ShareRecipient;
  onChanged: (change?: (r: ShareRecipient) => ShareRecipient) => void;
  announce: (message: string) => void;
}) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const [busy, setBusy] = useState<"resend" | "revoke" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { email, id } = recipient;
  const live = recipient.status === "active";
  const secret = live ? keptLink(userId, shareId, email) : null;
  const blocked = resendBlocked(recipient, secret);
  const retry = recipient.delivery === "failed";
  const delivery = DELIVERY[recipient.delivery];
  const views =
    recipient.viewCount === undefined
      ? null
      : viewsUsed(recipient.viewCount, recipient.maxViews ?? null);

  async function resend() {
    if (!id || !secret) return;
    setBusy("resend");
    setError(null);
    try {
      await dashboardApi.resendRecipient(shareId, id, secret);
      onChanged((r) => ({ ...r, delivery: "queued" }));
      announce(t`The link is being e-mailed to ${email} again.`);
    } catch (caught) {
      if (isApiError(caught, "invalid_link_secret")) {
        // What this browser kept is not this link (another share of the same id?): forget it.
        forgetLinks(userId, shareId, email);
        setError(t`The link kept in this browser does not belong to this recipient.`);
      } else if (isApiError(caught, "share_gone")) {
        setError(t`This link is gone: nothing was sent.`);
        onChanged();
      } else {
        const reason = dashboardError(caught);
        setError(t`Not sent: ${reason}`);
      }
    } finally {
      setBusy(null);
    }
  }

  async function revoke() {
    if (!id) return;
    setBusy("revoke");
    setError(null);
    try {
      await dashboardApi.revokeRecipient(shareId, id);
      forgetLinks(userId, shareId, email);
      onChanged((r) => ({ ...r, status: "revoked" }));
      announce(t`The link of ${email} was revoked. The other recipients keep theirs.`);
    } catch (caught) {
      if (isApiError(caught, "share_gone")) {
        announce(t`The link of ${email} was already gone.`);
        onChanged();
      } else setError(dashboardError(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <li
      className="recipient-line"
      data-recipient={email}
      data-delivery={recipient.delivery}
      data-status={recipient.status}
    >
      <div className="recipient-line__who">
        <span className="recipient-line__email">
          <Address email={email} />
        </span>
        <span className={`badge badge--${delivery.tone}`}>
          <span className="visually-hidden">{t`, `}</span>
          {i18n._(delivery.label)}
        </span>
        {recipient.status && (
          <>
            <span className="visually-hidden">{t`, link `}</span>
            <StatusBadge status={recipient.status} />
          </>
        )}
      </div>
      <p className="recipient-line__facts">
        {views !== null && (
          <span>
            <Trans>Views {views}</Trans>
            <span aria-hidden="true"> · </span>
            <span className="visually-hidden">{t`, `}</span>
          </span>
        )}
        <LastViewed recipient={recipient} />
      </p>
      {live && id && (
        <div className="recipient-line__actions">
          <button
            type="button"
            className={`button button--small ${retry ? "button--primary" : "button--secondary"}`}
            // Busy, aria-disabled rather than disabled, which drops the focus to <body>.
            disabled={blocked !== null}
            aria-disabled={busy !== null || undefined}
            aria-describedby={blocked ? `${ids}-why` : undefined}
            onClick={busy !== null ? undefined : () => void resend()}
          >
            <MailIcon />
            <span>
              {busy === "resend" ? (
                <Trans>Sending…</Trans>
              ) : retry ? (
                <Trans>
                  Retry e-mail<span className="visually-hidden"> to {email}</span>
                </Trans>
              ) : (
                <Trans>
                  Resend e-mail<span className="visually-hidden"> to {email}</span>
                </Trans>
              )}
            </span>
          </button>
          <ConfirmButton
            small
            icon={<TrashIcon />}
            question={t`Revoke the link of ${email}? It stops working at once; the other recipients keep theirs.`}
            confirmLabel={t`Yes, revoke it`}
            busy={busy === "revoke"}
            busyLabel={t`Revoking…`}
            onConfirm={revoke}
          >
            <Trans>
              Revoke<span className="visually-hidden"> the link of {email}</span>
            </Trans>
          </ConfirmButton>
          {blocked && (
            <span className="recipient-line__why" id={`${ids}-why`}>
              {blocked}
            </span>
          )}
        </div>
      )}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** Every recipient's own link of one share (F14), one line each. */
export function RecipientLinks({
  shareId,
  userId,
  recipients,
  onChanged,
  announce,
  label,
}: {
  shareId: string;
  userId: string;
  recipients: ShareRecipient[];
  /** A line changed: with `change`, that line's new state; without, reload. */
  onChanged: (recipientId: string, change?: (r: ShareRecipient) => ShareRecipient) => void;
  announce: (message: string) => void;
  label?: string;
}) {
  const { t } = useLingui();
  return (
    <ul className="recipient-lines" aria-label={label ?? t`Recipients' links`}>
      {recipients.map((r) => (
        <RecipientLine
          key={r.id ?? r.email}
          shareId={shareId}
          userId={userId}
          recipient={r}
          onChanged={(change) => onChanged(r.id ?? r.email, change)}
          announce={announce}
        />
      ))}
    </ul>
  );
}
