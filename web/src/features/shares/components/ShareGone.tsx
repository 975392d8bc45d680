import type { ReactNode } from "react";

import { AlertIcon, ClockIcon, LockIcon, TrashIcon, ViewsIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";
import { formatDate } from "../../../lib/format";
import { useBranding } from "../../branding/context";
import type { GoneReason } from "../api";

const CONTENT: Record<
  GoneReason,
  { icon: ReactNode; title: string; body: (at: string) => ReactNode }
> = {
  viewed: {
    icon: <ViewsIcon />,
    title: "This secret has already been viewed",
    body: (at) => (
      <>
        This secret was viewed on <time>{at}</time>; if that was not you, tell the sender.
      </>
    ),
  },
  expired: {
    icon: <ClockIcon />,
    title: "This secret has expired",
    body: (at) => (
      <>
        It expired on <time>{at}</time> and was deleted. Ask the sender to share it again.
      </>
    ),
  },
  deleted: {
    icon: <TrashIcon />,
    title: "This secret was deleted",
    body: (at) => (
      <>
        It was deleted on <time>{at}</time>, by its sender or by someone who had already viewed it.
        Ask the sender if you still need it.
      </>
    ),
  },
  locked: {
    icon: <LockIcon />,
    title: "This secret is locked",
    body: (at) => (
      <>
        It was locked and deleted on <time>{at}</time> after too many wrong passwords. Ask the
        sender to share it again.
      </>
    ),
  },
  revoked: {
    icon: <TrashIcon />,
    title: "The sender took this link back",
    body: (at) => (
      <>
        The sender revoked this link on <time>{at}</time>. Ask them if you still need the secret.
      </>
    ),
  },
};

const SHARE_YOUR_OWN = (
  <p>
    <a className="button button--secondary" href="/">
      Share a secret of your own
    </a>
  </p>
);

/** A link whose secret is gone says when and why (SPEC F2), so interception becomes visible. */
export function ShareGone({ reason, at }: { reason: GoneReason; at: string | null }) {
  const content = CONTENT[reason];
  // An organization's branded page does not advertise Hushlink's own share page.
  const branded = useBranding() !== null;
  return (
    <StatusPage
      headingId="gone-heading"
      data-gone-reason={reason}
      icon={content.icon}
      tone={reason === "viewed" ? "warning" : "muted"}
      title={content.title}
    >
      <p className="lead">{content.body(at ? formatDate(at) : "an unknown date")}</p>
      {!branded && SHARE_YOUR_OWN}
    </StatusPage>
  );
}

/** Why a link cannot be opened before the server is asked: no key, a damaged key, or used up. */
export type LinkProblem = "missing" | "damaged" | "used-up";

const LINK_PROBLEMS: Record<LinkProblem | "not-found", { title: string; body: string }> = {
  "not-found": {
    title: "This link does not exist",
    body: "There is no secret behind this link. Check that you copied all of it, including the part after “#”.",
  },
  missing: {
    title: "This address has no secret key",
    body: "A secret link ends with “#” and a long key, and this address has none. Open the whole link from the message you received.",
  },
  damaged: {
    title: "This link is damaged",
    body: "The key after “#” is not complete or was changed. Copy the whole link from the message you received and open it again.",
  },
  "used-up": {
    title: "The secret was already shown in this tab",
    body: "This page forgets the link once the secret is revealed. If the link has views left, open it again from your message.",
  },
};

export function LinkNotFound({ problem = "not-found" }: { problem?: LinkProblem | "not-found" }) {
  const content = LINK_PROBLEMS[problem];
  return (
    <StatusPage
      headingId="not-found-heading"
      data-link-problem={problem}
      icon={<AlertIcon />}
      title={content.title}
    >
      <p className="lead">{content.body}</p>
      {SHARE_YOUR_OWN}
    </StatusPage>
  );
}
