/**
 * The states of a request page other than the open form: sent, already answered, not found or
 * expired, sign-in needed, not allowed. Each is a status page with one heading that takes focus
 * when it replaces the form, so keyboard and screen-reader users hear what happened.
 */
import type { ReactNode } from "react";

import { AlertIcon, CheckIcon, KeyIcon, LockIcon } from "../../../components/icons";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";

function StatusPage({
  id,
  icon,
  tone,
  title,
  children,
  action,
  focus = false,
}: {
  id: string;
  icon: ReactNode;
  tone: "success" | "muted" | "warning";
  title: string;
  children: ReactNode;
  action?: ReactNode;
  /** True when this view replaces the form after an action (not on first load). */
  focus?: boolean;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>(focus);
  return (
    <section className="stack status-page" aria-labelledby={id} data-request-state={id}>
      <div className={`status-page__icon status-page__icon--${tone}`}>{icon}</div>
      <h1 id={id} className="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p className="lead">{children}</p>
      {action && <p>{action}</p>}
    </section>
  );
}

export function RequestSent({ asker }: { asker: string | null }) {
  return (
    <StatusPage id="request-sent" icon={<CheckIcon />} tone="success" title="Sent" focus>
      Your secret was sent{asker ? ` to ${asker}` : ""}. It is not shown here again, and this link
      accepts nothing more. You can close this page.
    </StatusPage>
  );
}

export function RequestAnswered({ asker, focus }: { asker: string | null; focus: boolean }) {
  return (
    <StatusPage
      id="request-answered"
      icon={<CheckIcon />}
      tone="muted"
      title="This request was already answered"
      focus={focus}
    >
      A secret has already been sent for it, and a request accepts only one. If you need to send
      something else, ask {asker ?? "whoever sent you the link"} for a new request.
    </StatusPage>
  );
}

export function RequestNotFound({ focus }: { focus: boolean }) {
  return (
    <StatusPage
      id="request-not-found"
      icon={<AlertIcon />}
      tone="muted"
      title="This request does not exist or has expired"
      focus={focus}
    >
      Check that you copied the whole link. If you did, the request has expired or was deleted: ask
      whoever sent it for a new one.
    </StatusPage>
  );
}

export function RequestSignIn({ signInHref, focus }: { signInHref: string; focus: boolean }) {
  return (
    <StatusPage
      id="request-sign-in"
      icon={<KeyIcon />}
      tone="warning"
      title="Sign in to answer this request"
      focus={focus}
      action={
        <a className="button button--primary" href={signInHref}>
          Sign in
        </a>
      }
    >
      Only members of the organization that asked can send a secret for it. Sign in with your
      account, and you will come back to this page.
    </StatusPage>
  );
}

export function RequestNotAllowed({ signInHref, focus }: { signInHref: string; focus: boolean }) {
  return (
    <StatusPage
      id="request-not-allowed"
      icon={<LockIcon />}
      tone="muted"
      title="Your account cannot answer this request"
      focus={focus}
      action={
        <a className="button button--secondary" href={signInHref}>
          Sign in with another account
        </a>
      }
    >
      Only members of the organization that asked can send a secret for it.
    </StatusPage>
  );
}
