import { useEffect, useState } from "react";

import { dashboardApi, type ShareEvent } from "../api";
import { dashboardError } from "../errors";
import { EVENT_LABEL, formatShortDate } from "../format";

type State =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; items: ShareEvent[] };

/** The access log of one share (SPEC F5): each event with time, IP and user. */
export function AccessLog({ shareId, version }: { shareId: string; version: number }) {
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

  if (state.kind === "loading") {
    return (
      <p className="access-log__status" role="status">
        <span className="spinner" aria-hidden="true" /> Loading the access log…
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
    return <p className="access-log__status">Nothing happened to this secret yet.</p>;
  }
  return (
    <table className="access-log">
      <caption className="visually-hidden">Access log</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">IP address</th>
          <th scope="col">User</th>
        </tr>
      </thead>
      <tbody>
        {state.items.map((event, index) => (
          <tr key={`${event.at} ${event.type} ${index}`} data-event={event.type}>
            <td data-label="Time">
              <time dateTime={event.at}>{formatShortDate(event.at)}</time>
            </td>
            <td data-label="Event">
              <span className={`event event--${event.type}`}>
                {EVENT_LABEL[event.type] ?? event.type}
              </span>
              {event.recipient && (
                // A share with a link per recipient (F14): whose link it happened on.
                <span className="muted block-line break-anywhere">link of {event.recipient}</span>
              )}
            </td>
            <td data-label="IP address">
              {event.ip ? (
                <span className="mono">{event.ip}</span>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td data-label="User" className="break-anywhere">
              {event.userEmail ?? (
                <span className="muted">
                  {event.type === "revealed" || event.type === "wrong_password"
                    ? "Not signed in"
                    : "—"}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
