import type { LightMyRequestResponse } from "fastify";

import type { TestApp } from "./app.js";

export type Injector = Pick<TestApp["app"], "inject">;

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json<T>();
}

/** The `error.code` of a refusal (undefined for an answer that is none). */
export function errorCode(res: { json(): unknown }): string | undefined {
  return (res.json() as { error?: { code?: string } }).error?.code;
}

export function createShare(app: Injector, body: Record<string, unknown>) {
  return app.inject({ method: "POST", url: "/api/v1/shares", payload: body });
}

export function getShare(app: Injector, id: string) {
  return app.inject({ method: "GET", url: `/api/v1/shares/${id}` });
}

export function reveal(app: Injector, id: string, body: Record<string, unknown>) {
  return app.inject({ method: "POST", url: `/api/v1/shares/${id}/reveal`, payload: body });
}

export function deleteShare(app: Injector, id: string, headers: Record<string, string>) {
  return app.inject({ method: "DELETE", url: `/api/v1/shares/${id}`, headers });
}
