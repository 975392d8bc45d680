/** A Requests tab row's pieces: its status, its copy-link button, why an answer did not open. */
import type { MessageDescriptor } from "@lingui/core";
import { msg, t } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";

import { CopyAnnouncement, CopyButton } from "../../../components/CopyButton";
import { isApiError } from "../../../lib/api";
import { useCopy } from "../../../lib/use-copy";
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
