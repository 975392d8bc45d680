/**
 * What the webhook suites (webhooks*.test.ts, request-ref) share: adding an endpoint the way an
 * organization's admin does.
 */
import { expect } from "vitest";

import type { CreatedWebhook } from "@hushlink/protocol";

import type { Client } from "./accounts.js";
import { json } from "./http.js";

/** Adds an endpoint to `orgId` as `admin` (for share.created unless `body` says otherwise). */
export async function addEndpoint(
  admin: Client,
  orgId: string,
  body: Record<string, unknown>,
): Promise<CreatedWebhook> {
  const res = await admin.inject({
    method: "POST",
    url: `/api/v1/orgs/${orgId}/webhooks`,
    payload: { events: ["share.created"], ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<CreatedWebhook>(res);
}
