import { useId, useState } from "react";

import { ConfirmButton } from "../../../components/ConfirmButton";
import { MailIcon, TrashIcon } from "../../../components/icons";
import { isApiError } from "../../../lib/api";
import { formatDate } from "../../../lib/format";
import { forgetLinks, keptLink } from "../../shares/kept-links";
import { dashboardApi, type ShareRecipient } from "../api";
import { dashboardError } from "../errors";
import { formatShortDate, viewsUsed } from "../format";
import { StatusBadge } from "./StatusBadge";

const DELIVERY: Record<ShareRecipient["delivery"], { label: string; tone: string }> = {
  queued: { label: "E-mail queued", tone: "muted" },
  sent: { label: "E-mail sent", tone: "success" },
  failed: { label: "E-mail failed", tone: "danger" },
};

/** Why Resend cannot succeed for this line, or null when it can. */
function resendBlocked(recipient: ShareRecipient, secret: string | null): string | null {
  if (recipient.delivery === "queued") return "The e-mail is on its way.";
  if (!secret) {
    return "Only the browser that created this share can send its link again: the server keeps no copy.";
  }
  return null;
}

function LastViewed({ recipient }: { recipient: ShareRecipient }) {
  const last = recipient.lastView;
  if (!last) return <span className="muted">Not viewed yet</span>;
  return (
    <span>
      Last viewed{" "}
      <time dateTime={last.at} title={formatDate(last.at)}>
        {formatShortDate(last.at)}
      </time>
      {last.ip && <> from {last.ip}</>}
      {last.userEmail && (
        <>
          , signed in as <span className="break-anywhere">{last.userEmail}</span>
        </>
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
  const ids = useId();
  const [busy, setBusy] = useState<"resend" | "revoke" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { email, id } = recipient;
  const live = recipient.status === "active";
  const secret = live ? keptLink(userId, shareId, email) : null;
  const blocked = resendBlocked(recipient, secret);
  const retry = recipient.delivery === "failed";
  const delivery = DELIVERY[recipient.delivery];

  async function resend() {
    if (!id || !secret) return;
    setBusy("resend");
    setError(null);
    try {
      await dashboardApi.resendRecipient(shareId, id, secret);
      onChanged((r) => ({ ...r, delivery: "queued" }));
      announce(`The link is being e-mailed to ${email} again.`);
    } catch (caught) {
      if (isApiError(caught, "invalid_link_secret")) {
        // What this browser kept is not this link (another share of the same id?): forget it.
        forgetLinks(userId, shareId, email);
        setError("The link kept in this browser does not belong to this recipient.");
      } else if (isApiError(caught, "share_gone")) {
        setError("This link is gone: nothing was sent.");
        onChanged();
      } else setError(`Not sent: ${dashboardError(caught)}`);
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
      announce(`The link of ${email} was revoked. The other recipients keep theirs.`);
    } catch (caught) {
      if (isApiError(caught, "share_gone")) {
        announce(`The link of ${email} was already gone.`);
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
        <span className="recipient-line__email">{email}</span>
        <span className={`badge badge--${delivery.tone}`}>
          <span className="visually-hidden">, </span>
          {delivery.label}
        </span>
        {recipient.status && (
          <>
            <span className="visually-hidden">, link </span>
            <StatusBadge status={recipient.status} />
          </>
        )}
      </div>
      <p className="recipient-line__facts">
        {recipient.viewCount !== undefined && (
          <span>
            Views {viewsUsed(recipient.viewCount, recipient.maxViews ?? null)}
            <span aria-hidden="true"> · </span>
            <span className="visually-hidden">, </span>
          </span>
        )}
        <LastViewed recipient={recipient} />
      </p>
      {live && id && (
        <div className="recipient-line__actions">
          <button
            type="button"
            className={`button button--small ${retry ? "button--primary" : "button--secondary"}`}
            disabled={blocked !== null || busy !== null}
            aria-describedby={blocked ? `${ids}-why` : undefined}
            onClick={() => void resend()}
          >
            <MailIcon />
            <span>
              {busy === "resend" ? "Sending…" : retry ? "Retry e-mail" : "Resend e-mail"}
              <span className="visually-hidden"> to {email}</span>
            </span>
          </button>
          <ConfirmButton
            small
            icon={<TrashIcon />}
            question={`Revoke the link of ${email}? It stops working at once; the other recipients keep theirs.`}
            confirmLabel="Yes, revoke it"
            busy={busy === "revoke"}
            busyLabel="Revoking…"
            onConfirm={revoke}
          >
            Revoke<span className="visually-hidden"> the link of {email}</span>
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
  label = "Recipients' links",
}: {
  shareId: string;
  userId: string;
  recipients: ShareRecipient[];
  /** A line changed: with `change`, that line's new state; without, reload. */
  onChanged: (recipientId: string, change?: (r: ShareRecipient) => ShareRecipient) => void;
  announce: (message: string) => void;
  label?: string;
}) {
  return (
    <ul className="recipient-lines" aria-label={label}>
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
