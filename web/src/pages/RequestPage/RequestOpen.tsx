import { Trans } from "@lingui/react/macro";

import { Fact } from "../../components/Fact";
import { ClockIcon, LockIcon } from "../../components/icons";
import type { FileLimits } from "../../features/files/components/FilesField";
import type { RequestMetadata } from "../../features/requests/api";
import { RequestSubmitForm } from "../../features/requests/components/RequestSubmitForm";
import { shortFingerprint } from "../../features/requests/e2e";
import { formatDate, formatTimeUntil } from "../../lib/format";
import { Gap } from "../../components/SideBySide";

/**
 * An open request: who asks and for what, until when, who can read the answer, and the form
 * that takes it. The page (RequestPage.tsx) sends it and shows what happened.
 */
export function RequestOpen({
  meta,
  org,
  fingerprint,
  maxBytes,
  sending,
  error,
  onSubmit,
  fileLimits,
}: {
  meta: RequestMetadata;
  /** Who asks: the organization's name, when the server says it. */
  org: string | null;
  fingerprint: string | null;
  maxBytes: number;
  sending: boolean;
  error: string | null;
  onSubmit: (value: string, files: File[]) => void;
  fileLimits: FileLimits | null;
}) {
  const person = meta.requesterName;
  const expiresAt = meta.expiresAt;
  const until = formatDate(expiresAt);
  const closes = formatTimeUntil(expiresAt);
  // The person first, then their organization (issue 25, defect 7): people answer people. Whole
  // sentences, so that each language orders the names its own way.
  const heading = person ? (
    org ? (
      <Trans>
        {person} of {org} asks you for a secret
      </Trans>
    ) : (
      <Trans>{person} asks you for a secret</Trans>
    )
  ) : org ? (
    <Trans>{org} asks you for a secret</Trans>
  ) : (
    <Trans>You are asked for a secret</Trans>
  );
  return (
    <section className="stack" aria-labelledby="request-heading">
      <div className="page-intro">
        <span className="eyebrow">
          <Trans>Secret request</Trans>
        </span>
        <h1 id="request-heading" className="page-title">
          {heading}
        </h1>
        {meta.name ? (
          <p className="request-name">
            <span className="request-name__label">
              <Trans context="what a request is for">For</Trans>
            </span>
            {/* The requester's own words: rendered as text, never as HTML. */}
            <span className="request-name__value" data-testid="request-name">
              {meta.name}
            </span>
          </p>
        ) : null}
        <p className="lead">
          {fileLimits && fileLimits.maxBytes > 0 ? (
            <Trans>Type or paste it below, add files if they are asked for, then send it.</Trans>
          ) : (
            <Trans>Type or paste it below, then send it.</Trans>
          )}
        </p>
      </div>

      <ul className="facts">
        <Fact
          icon={<ClockIcon />}
          title={<Trans>Open until {until}</Trans>}
          detail={<Trans>It closes {closes}.</Trans>}
        />
        {fingerprint ? (
          <Fact
            testId="request-e2e"
            icon={<LockIcon />}
            title={<Trans>End-to-end encrypted: only the person who asked can read it</Trans>}
            detail={
              <>
                <Trans>
                  Your browser encrypts it, and any files, to their key before sending; the server
                  cannot read it. Key checked against your link:
                </Trans>
                <Gap />
                {/* A code: left to right in every language (conveniences.css, .ltr). */}
                <span className="fingerprint ltr" data-testid="request-fingerprint">
                  {shortFingerprint(fingerprint)}
                </span>
              </>
            }
          />
        ) : (
          <Fact
            icon={<LockIcon />}
            title={<Trans>Only the person who asked can read it</Trans>}
            detail={<Trans>The server stores it encrypted; they read it in their dashboard.</Trans>}
          />
        )}
      </ul>

      <RequestSubmitForm
        maxBytes={maxBytes}
        busy={sending}
        error={error}
        onSubmit={onSubmit}
        fileLimits={fileLimits}
      />
    </section>
  );
}
