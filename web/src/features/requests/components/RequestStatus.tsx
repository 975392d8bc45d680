/**
 * The states of a request page other than the open form: sent, already answered, not found or
 * expired, sign-in needed, not allowed. Each is a status page with one heading that takes focus
 * when it replaces the form, so keyboard and screen-reader users hear what happened.
 */
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
    title: string;
    /** `asker`: who asked, when the page knows. */
    body: (asker: string | null) => ReactNode;
    action?: (signInHref: string) => ReactNode;
  }
> = {
  sent: {
    icon: <CheckIcon />,
    tone: "success",
    title: "Sent",
    body: (asker) => (
      <>
        Your secret was sent{asker ? ` to ${asker}` : ""}. It is not shown here again, and this link
        accepts nothing more. You can close this page.
      </>
    ),
  },
  answered: {
    icon: <CheckIcon />,
    tone: "muted",
    title: "This request was already answered",
    body: (asker) => (
      <>
        A secret has already been sent for it, and a request accepts only one. If you need to send
        something else, ask {asker ?? "whoever sent you the link"} for a new request.
      </>
    ),
  },
  "not-found": {
    icon: <AlertIcon />,
    tone: "muted",
    title: "This request does not exist or has expired",
    body: () => (
      <>
        Check that you copied the whole link. If you did, the request has expired or was deleted:
        ask whoever sent it for a new one.
      </>
    ),
  },
  "sign-in": {
    icon: <KeyIcon />,
    tone: "warning",
    title: "Sign in to answer this request",
    body: (asker) => (
      <>
        Only members of {asker ?? "the organization that asked"} can send a secret for it. Sign in
        with your account, and you will come back to this page.
      </>
    ),
    action: (href) => (
      <a className="button button--primary" href={href}>
        Sign in
      </a>
    ),
  },
  // An end-to-end request whose key is not the one the link names (SPEC §3.2): the server, or
  // whoever sits between, may have swapped it to read the answer. Nothing may be sent.
  "key-mismatch": {
    icon: <AlertIcon />,
    tone: "danger",
    title: "Do not answer this request",
    body: (asker) => (
      <>
        The key this request asks you to encrypt to is not the one your link names, so someone other
        than {asker ?? "the person who asked"} could read the answer. Nothing was sent. Tell them,
        and ask for a new request link through another channel.
      </>
    ),
  },
  incomplete: {
    icon: <AlertIcon />,
    tone: "warning",
    title: "This request link is incomplete",
    body: () => (
      <>
        The link ends with a check of the key your answer is encrypted to, and that part is missing.
        Copy the whole link, including everything after #, and open it again.
      </>
    ),
  },
  "not-allowed": {
    icon: <LockIcon />,
    tone: "muted",
    title: "Your account cannot answer this request",
    body: (asker) => (
      <>Only members of {asker ?? "the organization that asked"} can send a secret for it.</>
    ),
    action: (href) => (
      <a className="button button--secondary" href={href}>
        Sign in with another account
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
  const id = `request-${state}`;
  return (
    <StatusPage
      headingId={id}
      data-request-state={id}
      icon={content.icon}
      tone={content.tone}
      title={content.title}
      focus={focus}
    >
      <p className="lead">{content.body(asker)}</p>
      {content.action && <p>{content.action(signInHref)}</p>}
    </StatusPage>
  );
}
