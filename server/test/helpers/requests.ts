/**
 * What the secret-request suites (requests-*.test.ts) share: the calls they make, the answers'
 * shapes, and a suite of its own per file with an app whose logs are checked for every value
 * submitted in it.
 */
import { randomBytes } from "node:crypto";

import { expect } from "vitest";

import { linkIn, mailsTo, signup, uniqueEmail, type Client } from "./accounts.js";
import { createTestApp, type TestApp } from "./app.js";
import type { Dialect } from "../../src/db/database.js";
import { json } from "./http.js";
import { madeBeforeAll } from "./suite.js";

export const MINUTE = 60 * 1000;
export const PUBLIC_URL = "http://hushlink.test";
export const UNKNOWN_ID = "A".repeat(22);

export interface Created {
  id: string;
  url: string;
  expiresAt: string;
}

export interface Metadata {
  id: string;
  name?: string;
  orgName: string;
  status: "open" | "fulfilled";
  expiresAt: string;
}

export interface ListItem {
  id: string;
  name: string | null;
  access: string;
  status: "open" | "fulfilled";
  createdAt: string;
  expiresAt: string;
  submittedAt?: string;
}

export type Anyone = Pick<TestApp["app"], "inject">;

/** Signs someone up and adds them to `orgId` through the real invitation flow. */
export async function addMember(
  t: TestApp,
  admin: Client,
  orgId: string,
  role: "member" | "admin",
) {
  const email = uniqueEmail(role);
  const invite = await admin.inject({
    method: "POST",
    url: `/api/v1/orgs/${orgId}/invitations`,
    payload: { email, role },
  });
  expect(invite.statusCode).toBe(201);
  const [mail] = await mailsTo(t, email);
  const token = linkIn(mail!, `${PUBLIC_URL}/invitations/`).split("/invitations/")[1]!;
  const member = await signup(t, email);
  const accepted = await member.inject({
    method: "POST",
    url: `/api/v1/invitations/${token}/accept`,
  });
  expect(accepted.statusCode).toBe(200);
  return member;
}

export function createRequest(c: Anyone, body: object = {}) {
  return c.inject({
    method: "POST",
    url: "/api/v1/requests",
    payload: { expiresIn: 3600, ...body },
  });
}

export async function newRequest(c: Anyone, body: Record<string, unknown> = {}): Promise<Created> {
  const res = await createRequest(c, body);
  expect(res.statusCode, res.body).toBe(201);
  return json<Created>(res);
}

export const getRequest = (c: Anyone, id: string) => c.inject({ url: `/api/v1/requests/${id}` });

export const submit = (c: Anyone, id: string, value: unknown) =>
  c.inject({ method: "POST", url: `/api/v1/requests/${id}/submit`, payload: { value } });

export const revealRequest = (c: Anyone, id: string) =>
  c.inject({ method: "POST", url: `/api/v1/requests/${id}/reveal`, payload: {} });

export const deleteRequest = (c: Anyone, id: string) =>
  c.inject({ method: "DELETE", url: `/api/v1/requests/${id}` });

export const listRequests = (c: Anyone, query = "") =>
  c.inject({ url: `/api/v1/requests${query}` });

export { errorCode as code } from "./http.js";

/**
 * A shared app for a file's tests, and `ownApp()` for a test that moves the clock, so no test
 * sees another's time. After the file, no log of any of them may hold a submitted value.
 */
export function requestsSuite(dialect: Dialect) {
  const apps: TestApp[] = [];
  const submitted: string[] = [];
  const app = madeBeforeAll(
    async () => {
      const shared = await createTestApp(dialect);
      apps.push(shared);
      return shared;
    },
    async (shared) => {
      expect(shared.logs.join("").length).toBeGreaterThan(0);
      for (const each of apps) {
        const logs = each.logs.join("");
        for (const value of submitted) expect(logs).not.toContain(value);
        if (each !== shared) await each.close();
      }
      await shared.close();
    },
  );
  return {
    /** The file's shared app, made before its tests (read it inside a test or hook). */
    app,
    async ownApp(): Promise<TestApp> {
      const own = await createTestApp(dialect);
      apps.push(own);
      return own;
    },
    /** A fresh value to submit, remembered so the logs can be checked for it. */
    secret: (label = "secret"): string => {
      const value = `${label}-${randomBytes(12).toString("hex")}`;
      submitted.push(value);
      return value;
    },
  };
}
