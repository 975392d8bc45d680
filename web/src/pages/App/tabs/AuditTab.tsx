import { plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useCallback, useId, useMemo, useState } from "react";

import type { Member } from "@hushlink/protocol";

import { Announcer } from "../../../components/Announcer";
import { DownloadIcon, HistoryIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import {
  auditApi,
  NO_AUDIT_FILTER,
  type AuditEntry,
  type AuditFilter,
} from "../../../features/audit/api";
import {
  AuditFilters,
  EMPTY_FORM,
  filterOf,
  type AuditFilterForm,
} from "../../../features/audit/components/AuditFilters";
import { EVENT_LABEL } from "../../../features/audit/event-types";
import {
  formatAuditTime,
  personLabel,
  TARGET_LABEL,
  VIA_LABEL,
  type People,
} from "../../../features/audit/format";
import { dashboardApi } from "../../../features/dashboard/api";
import { EmptyState } from "../../../features/dashboard/components/EmptyState";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { usePagedList } from "../../../features/dashboard/use-paged-list";
import { useLoaded } from "../../../lib/use-loaded";
import { SideBySide } from "../../../components/SideBySide";
import type { TabProps } from "./tab-props";

const PAGE_SIZE = 25;

/**
 * `/app/audit` (admins; SPEC F18): the organization's audit log, newest first, filtered by event,
 * person and days, page by page; and the NDJSON export of the chosen days, which `hushlink audit
 * verify` checks link by link.
 */
export function AuditTab({ org }: TabProps) {
  const { t } = useLingui();
  const ids = useId();
  const orgName = org.name;
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_FORM);
  const [applied, setApplied] = useState<AuditFilter>(NO_AUDIT_FILTER);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const loadMembers = useCallback(
    () =>
      dashboardApi.members(org.id).then(
        (list) => list.items,
        () => [] as Member[],
      ),
    [org.id],
  );
  const [members] = useLoaded<Member[]>(loadMembers, []);
  const people: People = useMemo(() => new Map(members.map((m) => [m.userId, m])), [members]);

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const page = await auditApi.entries(org.id, applied, cursor, PAGE_SIZE);
      return { items: page.entries, nextCursor: page.nextCursor };
    },
    [org.id, applied],
  );
  const entries = usePagedList(fetchPage, (count) =>
    setAnnouncement(
      plural(count, { one: "# more entry loaded.", other: "# more entries loaded." }),
    ),
  );

  function change(next: AuditFilterForm) {
    setForm(next);
    const result = filterOf(next);
    if ("error" in result) return setRangeError(result.error);
    setRangeError(null);
    setApplied(result.filter);
  }

  const filtered =
    applied.type !== null || applied.actor !== null || applied.since || applied.until;
  const today = new Date().toISOString().slice(0, 10);

  return (
    <section className="stack" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Audit log`}>
        <Trans>
          Who did what in {orgName}: shares, requests, members, sign-ins, tokens and settings. Each
          entry carries the SHA-256 of the one before, so an edited or removed entry shows when an
          export is checked with <code>hushlink audit verify</code>.
        </Trans>
      </TabIntro>

      <AuditFilters value={form} onChange={change} members={members} error={rangeError} />
      <div className="dashboard-hint">
        <p id={`${ids}-export-hint`} className="field__hint">
          <Trans>
            The export holds every entry of the chosen days, whatever the event and person: a chain
            with gaps could not be verified.
          </Trans>
        </p>
        <a
          className="button button--secondary button--small"
          href={auditApi.exportHref(org.id, applied)}
          download={`hushlink-audit-${today}.ndjson`}
          aria-describedby={`${ids}-export-hint`}
        >
          <DownloadIcon />
          <span>
            <Trans>Export (NDJSON)</Trans>
          </span>
        </a>
      </div>

      <PagedTable
        paged={entries}
        loadingLabel={t`Loading the audit log…`}
        onRetry={() => void entries.reload(true)}
        empty={
          filtered ? (
            <Notice tone="info">
              <Trans>No entries match these filters.</Trans>
            </Notice>
          ) : (
            <EmptyState icon={<HistoryIcon />} title={t`Nothing recorded yet`}>
              <Trans>Entries appear here as people share, sign in and change settings.</Trans>
            </EmptyState>
          )
        }
        caption={t`Audit log of ${orgName}, newest first`}
        columns={[t`Time`, t`Event`, t`Done by`, t`Target`, t`Outcome`, t`IP address`]}
        modifier="audit"
        actions={false}
        renderRow={(entry) => <AuditRow key={entry.seq} entry={entry} people={people} />}
      />
      <Announcer message={announcement} />
    </section>
  );
}

function AuditRow({ entry, people }: { entry: AuditEntry; people: People }) {
  const { t } = useLingui();
  return (
    <tr className="data-table__row" data-seq={entry.seq} data-type={entry.type}>
      <th scope="row" className="data-table__name audit-time">
        <time dateTime={entry.at}>{formatAuditTime(entry.at)}</time>
      </th>
      <td data-label={t`Event`}>
        <span className="audit-event">
          <span className="event">{EVENT_LABEL[entry.type]}</span>
          {entry.via && <span className="muted">{VIA_LABEL[entry.via]}</span>}
        </span>
      </td>
      <td data-label={t`Done by`} className="break-anywhere">
        <Actor entry={entry} people={people} />
      </td>
      <td data-label={t`Target`}>
        <Target entry={entry} people={people} />
      </td>
      <td data-label={t`Outcome`}>
        {entry.outcome === "success" ? (
          <span className="badge badge--success">
            <Trans>Succeeded</Trans>
          </span>
        ) : (
          <span className="badge badge--danger">
            <Trans>Failed</Trans>
          </span>
        )}
      </td>
      <td data-label={t`IP address`}>
        {entry.ip ? (
          <span className="mono" dir="ltr">
            {entry.ip}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

function Actor({ entry, people }: { entry: AuditEntry; people: People }) {
  const { actor } = entry;
  if (actor.kind === "anonymous" || actor.id === null)
    return (
      <span className="muted">
        {entry.ip ? <Trans>Not signed in</Trans> : <Trans>Automatic</Trans>}
      </span>
    );
  const member = people.get(actor.id);
  return (
    <span className="audit-event">
      <span>{member?.name ?? member?.email ?? personLabel(people, actor.id)}</span>
      {member?.name && (
        <span className="muted" dir="ltr">
          {member.email}
        </span>
      )}
      {actor.kind === "token" && (
        <span className="muted">
          <Trans>with an API token</Trans>
        </span>
      )}
    </span>
  );
}

function Target({ entry, people }: { entry: AuditEntry; people: People }) {
  const { target } = entry;
  if (!target) return <span className="muted">—</span>;
  if (target.kind === "org") return <span>{TARGET_LABEL.org}</span>;
  if (target.kind === "user" && people.has(target.id))
    return <span className="break-anywhere">{personLabel(people, target.id)}</span>;
  return (
    <span className="audit-target">
      <SideBySide
        first={TARGET_LABEL[target.kind]}
        second={<code className="mono">{target.id.slice(0, 8)}</code>}
      />
    </span>
  );
}
