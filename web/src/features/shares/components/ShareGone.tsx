import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { AlertIcon, ClockIcon, LockIcon, TrashIcon, ViewsIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";
import { formatDate } from "../../../lib/format";
import { useBranding } from "../../branding/context";
import type { GoneReason } from "../api";

const CONTENT: Record<
  GoneReason,
  { icon: ReactNode; title: MessageDescriptor; body: (at: string) => ReactNode }
> = {
  viewed: {
    icon: <ViewsIcon />,
    title: msg`This secret has already been viewed`,
    body: (at) => (
      <Trans>
        This secret was viewed on <time>{at}</time>; if that was not you, tell the sender.
      </Trans>
    ),
  },
  expired: {
    icon: <ClockIcon />,
    title: msg`This secret has expired`,
    body: (at) => (
      <Trans>
        It expired on <time>{at}</time> and was deleted. Ask the sender to share it again.
      </Trans>
    ),
  },
  deleted: {
    icon: <TrashIcon />,
    title: msg`This secret was deleted`,
    body: (at) => (
      <Trans>
        It was deleted on <time>{at}</time>, by its sender or by someone who had already viewed it.
        Ask the sender if you still need it.
      </Trans>
    ),
  },
  locked: {
    icon: <LockIcon />,
    title: msg`This secret is locked`,
    body: (at) => (
      <Trans>
        It was locked and deleted on <time>{at}</time> after too many wrong passwords. Ask the
        sender to share it again.
      </Trans>
    ),
  },
  revoked: {
    icon: <TrashIcon />,
    title: msg`The sender took this link back`,
    body: (at) => (
      <Trans>
        The sender revoked this link on <time>{at}</time>. Ask them if you still need the secret.
      </Trans>
    ),
  },
};

const SHARE_YOUR_OWN = (
  <p>
    <a className="button button--secondary" href="/">
      <Trans>Share a secret of your own</Trans>
    </a>
  </p>
);

/** A link whose secret is gone says when and why (SPEC F2), so interception becomes visible. */
export function ShareGone({ reason, at }: { reason: GoneReason; at: string | null }) {
  const content = CONTENT[reason];
  // An organization's branded page does not advertise Hushlink's own share page.
  const branded = useBranding() !== null;
  const { i18n } = useLingui();
  return (
    <StatusPage
      headingId="gone-heading"
      data-gone-reason={reason}
      icon={content.icon}
      tone={reason === "viewed" ? "warning" : "muted"}
      title={i18n._(content.title)}
    >
      <p className="lead">{content.body(formatDate(at ?? ""))}</p>
      {!branded && SHARE_YOUR_OWN}
    </StatusPage>
  );
}

/** Why a link cannot be opened before the server is asked: no key, a damaged key, or used up. */
export type LinkProblem = "missing" | "damaged" | "used-up";

const LINK_PROBLEMS: Record<
  LinkProblem | "not-found",
  { title: MessageDescriptor; body: MessageDescriptor }
> = {
  "not-found": {
    title: msg`This link does not exist`,
    body: msg`There is no secret behind this link. Check that you copied all of it, including the part after “#”.`,
  },
  missing: {
    title: msg`This address has no secret key`,
    body: msg`A secret link ends with “#” and a long key, and this address has none. Open the whole link from the message you received.`,
  },
  damaged: {
    title: msg`This link is damaged`,
    body: msg`The key after “#” is not complete or was changed. Copy the whole link from the message you received and open it again.`,
  },
  "used-up": {
    title: msg`The secret was already shown in this tab`,
    body: msg`This page forgets the link once the secret is revealed. If the link has views left, open it again from your message.`,
  },
};

export function LinkNotFound({ problem = "not-found" }: { problem?: LinkProblem | "not-found" }) {
  const content = LINK_PROBLEMS[problem];
  const { i18n } = useLingui();
  return (
    <StatusPage
      headingId="not-found-heading"
      data-link-problem={problem}
      icon={<AlertIcon />}
      title={i18n._(content.title)}
    >
      <p className="lead">{i18n._(content.body)}</p>
      {SHARE_YOUR_OWN}
    </StatusPage>
  );
}
