/**
 * The secret-request endpoints of HTTP API v1 (SPEC §4, F6, F13). Types come from the protocol
 * package with `import type`, so zod stays out of the bundle.
 */
import type {
  Access,
  CreateRequestBody,
  CreateRequestResponse,
  OpenRequestResponse,
  RequestList,
  RequestMetadata,
  RevealRequestResponse,
  SealedAnswer,
  SubmitRequestResponse,
} from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

export type {
  Access,
  CreateRequestResponse,
  OpenRequestResponse,
  RequestList,
  RequestMetadata,
  RevealRequestResponse,
};
export type RequestListItem = RequestList["items"][number];

export type CreateRequestInput = CreateRequestBody;

const requestPath = (id: string) => `/api/v1/requests/${segment(id)}`;

export const requestsApi = {
  /** Public (per access): who asks, for what, and whether it is still open. */
  metadata: (id: string) => api.get<RequestMetadata>(requestPath(id)),

  /** Public (per access): the first submission fulfils the request; any later one is a 409. */
  submit: (id: string, value: string) => api.post<void>(`${requestPath(id)}/submit`, { value }),

  /** An end-to-end request's answer, sealed in this browser to the request's key (§3.2). */
  submitSealed: (id: string, answer: SealedAnswer) =>
    api.post<void>(`${requestPath(id)}/submit`, answer),

  /** With files (§3.1): their blobs declared, the upload token to send their chunks with. */
  submitWithFiles: (id: string, answer: SealedAnswer & { blobs: { id: string; size: number }[] }) =>
    api.post<SubmitRequestResponse>(`${requestPath(id)}/submit`, answer),

  /** A request made without an account, deleted with the manage token its create answered. */
  removeWithManageToken: (id: string, manageToken: string) =>
    api.delete(requestPath(id), { headers: { "X-Manage-Token": manageToken } }),

  create: (input: CreateRequestInput) => api.post<CreateRequestResponse>("/api/v1/requests", input),

  list: (options: {
    cursor?: string | null;
    orgId?: string;
    filters?: Record<string, string | undefined>;
  }) =>
    api.get<RequestList>("/api/v1/requests", {
      query: { cursor: options.cursor, orgId: options.orgId, ...options.filters },
    }),

  /** Audited by the server (SPEC F6): the requester reads the submitted value. */
  reveal: (id: string) => api.post<RevealRequestResponse>(`${requestPath(id)}/reveal`),

  /** End-to-end (F13): the wrapped key and the sealed answer, for the reading link's holder. */
  open: (id: string, readToken: string) =>
    api.post<OpenRequestResponse>(`${requestPath(id)}/open`, { readToken }),

  remove: (id: string) => api.delete(requestPath(id)),
};
