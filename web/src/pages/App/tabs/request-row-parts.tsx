/**
 * A Requests tab's pieces: its heading, a row's status, its copy-link button, why an answer did
 * not open.
 */
import type { MessageDescriptor } from "@lingui/core";
import { msg, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { isApiError } from "../../../lib/api";
import { useCopy } from "../../../lib/use-copy";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { dashboardError } from "../../../features/dashboard/errors";
import type { RequestListItem } from "../../../features/requests/api";

export type RowStatus = "open" | "answered" | "expired";

export const STATUS: Record<RowStatus, { label: MessageDescriptor; tone: string }> = {
  open: { label: msg`Waiting`, tone: "info" },
  answered: { label: msg`Answered`, tone: "success" },
  expired: { label: msg`Expired`, tone: "muted" },
};

export function rowStatus(item: RequestListItem, now: number): RowStatus {
  if (item.status === "fulfilled") return "answered";
  return Date.parse(item.expiresAt) <= now ? "expired" : "open";
}

/** What opening an end-to-end answer failed with, in words. */
export function openError(error: unknown): string {
  if (isApiError(error, "request_not_found")) {
    return t`The answer could not be opened: the reading link is not this request's, or the request expired or was deleted.`;
  }
  if (error instanceof Error && error.name === "RequestKeyError") return error.message;
  if (error instanceof Error && error.name === "DecryptionError") {
    return t`The answer could not be decrypted: it was changed on the server after it was sent.`;
  }
  return dashboardError(error);
}

/** Copies an open request's link again (it is just the page address with the request's id). */
export function CopyLinkButton({ url, name }: { url: string; name: string }) {
  const { t } = useLingui();
  const { state, copy } = useCopy();
  return (
    <>
      <CopyButton
        state={state}
        onCopy={() => void copy(url)}
        label={t`Copy the link of ${name}`}
        variant="secondary"
      />
      <CopyAnnouncement state={state} what={t`Request link`} />
    </>
  );
}

/**
 * The list's heading and what it holds. A request's id answers it, so the server lists a plain
 * member only their own requests; an admin, every member's (docs/SPEC.md, GET /api/v1/requests).
 */
export function RequestsIntro({
  headingId,
  orgName,
  admin,
}: {
  headingId: string;
  orgName: string;
  admin: boolean;
}) {
  const { t } = useLingui();
  return admin ? (
    <TabIntro headingId={headingId} title={t`Requests in ${orgName}`}>
      <Trans>
        Every member&apos;s requests, newest first; you open the answers to your own. End-to-end
        requests open only with their reading key, which the server never sees. Older requests are
        marked server-encrypted: the server reveals their answers and records each reveal.
      </Trans>
    </TabIntro>
  ) : (
    <TabIntro headingId={headingId} title={t`Your requests in ${orgName}`}>
      <Trans>
        The requests you made, newest first, and their answers; other members&apos; requests are
        theirs alone. End-to-end requests open only with their reading key, which the server never
        sees. Older requests are marked server-encrypted: the server reveals their answers and
        records each reveal.
      </Trans>
    </TabIntro>
  );
}
