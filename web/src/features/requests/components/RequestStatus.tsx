/**
 * The states of a request page other than the open form: sent, already answered, not found or
 * expired, sign-in needed, not allowed. Each is a status page with one heading that takes focus
 * when it replaces the form, so keyboard and screen-reader users hear what happened.
 */
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import type { ReactNode } from "react";

import { AlertIcon, CheckIcon, KeyIcon, LockIcon } from "../../../components/icons";
import { StatusPage } from "../../../components/StatusPage";

export type RequestState =
  "sent" | "answered" | "not-found" | "sign-in" | "not-allowed" | "key-mismatch" | "incomplete";

const CONTENT: Record<
  RequestState,
  {
    icon: ReactNode;
    tone: "success" | "muted" | "warning" | "danger";
    title: MessageDescriptor;
    /** `asker`: who asked, when the page knows; whole sentences with and without it. */
    body: (asker: string | null) => ReactNode;
    action?: (signInHref: string) => ReactNode;
  }
> = {
  sent: {
    icon: <CheckIcon />,
    tone: "success",
    title: msg`Sent`,
    body: (asker) =>
      asker ? (
        <Trans>
          Your secret was sent to {asker}. It is not shown here again, and this link accepts nothing
          more. You can close this page.
        </Trans>
      ) : (
        <Trans>
          Your secret was sent. It is not shown here again, and this link accepts nothing more. You
          can close this page.
        </Trans>
      ),
  },
  answered: {
    icon: <CheckIcon />,
    tone: "muted",
    title: msg`This request was already answered`,
    body: (asker) =>
      asker ? (
        <Trans>
          A secret has already been sent for it, and a request accepts only one. If you need to send
          something else, ask {asker} for a new request.
        </Trans>
      ) : (
        <Trans>
          A secret has already been sent for it, and a request accepts only one. If you need to send
          something else, ask whoever sent you the link for a new request.
        </Trans>
      ),
  },
  "not-found": {
    icon: <AlertIcon />,
    tone: "muted",
    title: msg`This request does not exist or has expired`,
    body: () => (
      <Trans>
        Check that you copied the whole link. If you did, the request has expired or was deleted:
        ask whoever sent it for a new one.
      </Trans>
    ),
  },
  "sign-in": {
    icon: <KeyIcon />,
    tone: "warning",
    title: msg`Sign in to answer this request`,
    body: (asker) =>
      asker ? (
        <Trans>
          Only members of {asker} can send a secret for it. Sign in with your account, and you will
          come back to this page.
        </Trans>
      ) : (
        <Trans>
          Only members of the organization that asked can send a secret for it. Sign in with your
          account, and you will come back to this page.
        </Trans>
      ),
    action: (href) => (
      <a className="button button--primary" href={href}>
        <Trans>Sign in</Trans>
      </a>
    ),
  },
  // An end-to-end request whose key is not the one the link names (SPEC §3.2): the server, or
  // whoever sits between, may have swapped it to read the answer. Nothing may be sent.
  "key-mismatch": {
    icon: <AlertIcon />,
    tone: "danger",
    title: msg`Do not answer this request`,
    body: (asker) =>
      asker ? (
        <Trans>
          The key this request asks you to encrypt to is not the one your link names, so someone
          other than {asker} could read the answer. Nothing was sent. Tell them, and ask for a new
          request link through another channel.
        </Trans>
      ) : (
        <Trans>
          The key this request asks you to encrypt to is not the one your link names, so someone
          other than the person who asked could read the answer. Nothing was sent. Tell them, and
          ask for a new request link through another channel.
        </Trans>
      ),
  },
  incomplete: {
    icon: <AlertIcon />,
    tone: "warning",
    title: msg`This request link is incomplete`,
    body: () => (
      <Trans>
        The link ends with a check of the key your answer is encrypted to, and that part is missing.
        Copy the whole link, including everything after #, and open it again.
      </Trans>
    ),
  },
  "not-allowed": {
    icon: <LockIcon />,
    tone: "muted",
    title: msg`Your account cannot answer this request`,
    body: (asker) =>
      asker ? (
        <Trans>Only members of {asker} can send a secret for it.</Trans>
      ) : (
        <Trans>Only members of the organization that asked can send a secret for it.</Trans>
      ),
    action: (href) => (
      <a className="button button--secondary" href={href}>
        <Trans>Sign in with another account</Trans>
      </a>
    ),
  },
};

export function RequestStatus({
  state,
  asker,
  signInHref,
  focus,
}: {
  state: RequestState;
  asker: string | null;
  signInHref: string;
  /** True when this view replaces the form after an action (not on first load). */
  focus: boolean;
}) {
  const content = CONTENT[state];
  const { i18n } = useLingui();
  const id = `request-${state}`;
  return (
    <StatusPage
      headingId={id}
      data-request-state={id}
      icon={content.icon}
      tone={content.tone}
      title={i18n._(content.title)}
      focus={focus}
    >
      <p className="lead">{content.body(asker)}</p>
      {content.action && <p>{content.action(signInHref)}</p>}
    </StatusPage>
  );
}
