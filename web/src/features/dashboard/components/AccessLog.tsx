import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useState } from "react";

import { dashboardApi, type ShareEvent } from "../api";
import { dashboardError } from "../errors";
import { EVENT_LABEL } from "../format";
import { LogTable } from "./LogTable";
import { DateCell } from "./RowCells";

type State =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; items: ShareEvent[] };

/** The access log of one share (SPEC F5): each event with time, IP and user. */
export function AccessLog({ shareId, version }: { shareId: string; version: number }) {
  const { t, i18n } = useLingui();
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    let cancelled = false;
    dashboardApi.shareEvents(shareId).then(
      (answer) => {
        if (!cancelled) setState({ kind: "ready", items: answer.items });
      },
      (error: unknown) => {
        if (!cancelled) setState({ kind: "failed", message: dashboardError(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [shareId, version]);

  const eventLabel = (type: string) => {
    const label = EVENT_LABEL[type];
    return label ? i18n._(label) : type;
  };

  if (state.kind === "loading") {
    return (
      <p className="access-log__status" role="status">
        <span className="spinner" aria-hidden="true" />
        <Trans>Loading the access log…</Trans>
      </p>
    );
  }
  if (state.kind === "failed") {
    return (
      <p className="access-log__status field__error" role="alert">
        {state.message}
      </p>
    );
  }
  if (state.items.length === 0) {
    return (
      <p className="access-log__status">
        <Trans>Nothing happened to this secret yet.</Trans>
      </p>
    );
  }
  return (
    <LogTable caption={t`Access log`} columns={[t`Time`, t`Event`, t`IP address`, t`User`]}>
      {state.items.map((event, index) => (
        <tr key={`${event.at} ${event.type} ${index}`} data-event={event.type}>
          <DateCell label={t`Time`} at={event.at} />
          <td data-label={t`Event`}>
            <span className={`event event--${event.type}`}>{eventLabel(event.type)}</span>
            {event.recipient && (
              // A share with a link per recipient (F14): whose link it happened on.
              <span className="muted block-line break-anywhere">
                <RecipientOf email={event.recipient} />
              </span>
            )}
          </td>
          <td data-label={t`IP address`}>
            {event.ip ? <span className="mono">{event.ip}</span> : <span className="muted">—</span>}
          </td>
          <td data-label={t`User`} className="break-anywhere">
            {event.userEmail ?? (
              <span className="muted">
                {event.type === "revealed" || event.type === "wrong_password"
                  ? t`Not signed in`
                  : "—"}
              </span>
            )}
          </td>
        </tr>
      ))}
    </LogTable>
  );
}

/** Whose link an event happened on. */
function RecipientOf({ email }: { email: string }) {
  return <Trans>link of {email}</Trans>;
}
