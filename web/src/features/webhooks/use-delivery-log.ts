import { useEffect, useState } from "react";

import { dashboardError } from "../dashboard/errors";
import { webhooksApi, type WebhookDelivery } from "./api";

export type DeliveryLogState =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  /** `at`: when it was read, to judge how soon a pending delivery is due. */
  | { kind: "ready"; deliveries: WebhookDelivery[]; at: number };

/**
 * The delivery log of the endpoint whose details are open (null: none), read again whenever
 * `version` changes; the rows read before stay on screen meanwhile, so a refresh does not flicker.
 */
export function useDeliveryLog(
  orgId: string,
  webhookId: string | null,
  version: number,
): DeliveryLogState {
  const [loaded, setLoaded] = useState<{ for: string; state: DeliveryLogState } | null>(null);

  useEffect(() => {
    if (webhookId === null) return;
    let cancelled = false;
    webhooksApi.deliveries(orgId, webhookId).then(
      (answer) => {
        if (!cancelled)
          setLoaded({
            for: webhookId,
            state: { kind: "ready", deliveries: answer.deliveries, at: Date.now() },
          });
      },
      (error: unknown) => {
        if (!cancelled)
          setLoaded({ for: webhookId, state: { kind: "failed", message: dashboardError(error) } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [orgId, webhookId, version]);

  return loaded !== null && loaded.for === webhookId ? loaded.state : { kind: "loading" };
}
