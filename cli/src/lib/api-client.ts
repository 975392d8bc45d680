/**
 * The public HTTP API (SPEC §4), nothing else: one function per endpoint, answers checked with the
 * protocol's zod schemas, every failure turned into an ApiError or CliError with a one-line message.
 */
import {
  CreateRequestResponse,
  CreateShareResponse,
  EmailCodeSent,
  Me,
  OpenRequestResponse,
  PublicConfig,
  RequestList,
  RequestMetadata,
  RevealRequestResponse,
  SubmitRequestResponse,
  RevealResponse,
  ShareList,
  ShareManageStatus,
  ShareMetadata,
  UploadStatus,
} from "@hushlink/protocol";
import type {
  CreateRequestBody,
  CreateShareBody,
  RevealBody,
  SealedAnswer,
} from "@hushlink/protocol";

import { readConfig, type StoredConfig } from "./config.js";
import { info, type Context } from "./context.js";
import { refusal, unreachable } from "./api-errors.js";
import { CliError, UsageError } from "./errors.js";
import { isLoopback, normalizeServer, sameOrigin } from "./links.js";

const TIMEOUT_MS = 30_000;

/** Whatever validates answers: the protocol's zod schemas, or a small function of ours. */
interface Parser<T> {
  parse(value: unknown): T;
}

/** `GET /api/v1/config`; older servers list no file limits: they take no files. */
export type ServerConfig = PublicConfig &
  Required<Pick<PublicConfig, "maxFiles" | "maxFileBytes" | "anonymousMaxFileBytes">>;

const ServerConfigParser: Parser<ServerConfig> = {
  parse(value) {
    const config = PublicConfig.parse(value);
    return {
      ...config,
      maxFiles: config.maxFiles ?? 0,
      maxFileBytes: config.maxFileBytes ?? 0,
      anonymousMaxFileBytes: config.anonymousMaxFileBytes ?? 0,
    };
  },
};

/** `GET /api/v1/shares/{id}/manage`: what an anonymous creator sees. */
const ManageInfo = ShareManageStatus;
export type ManageInfo = ShareManageStatus;

const NoContent: Parser<void> = { parse: () => undefined };

interface RequestOptions<T> {
  body?: unknown;
  headers?: Record<string, string>;
  answer: Parser<T>;
}

export function createApiClient(options: {
  base: string;
  token?: string | null;
  fetch?: typeof fetch;
}) {
  const { base, token } = options;
  const doFetch = options.fetch ?? globalThis.fetch;

  async function call<T>(method: string, path: string, request: RequestOptions<T>): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // Never follow: a redirect would resend the body (and maybe the token) elsewhere.
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw unreachable(base, error, TIMEOUT_MS);
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      let target = "";
      try {
        target = location ? new URL(location, base).origin : "";
      } catch {
        // an unreadable Location: say so without it
      }
      throw new CliError(
        `The server at ${base} redirects${target ? ` to ${target}` : ""}: ` +
          `use that address${target ? ` (--server ${target})` : ""}.`,
      );
    }
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    if (!response.ok) throw refusal(response, body);
    try {
      return request.answer.parse(body);
    } catch {
      throw new CliError(
        `Unexpected answer from ${base} to ${method} ${path.replace(/\?.*$/, "")}: ` +
          "is it a Hushlink server of a compatible version?",
      );
    }
  }

  const share = (id: string) => `/api/v1/shares/${encodeURIComponent(id)}`;
  const request = (id: string) => `/api/v1/requests/${encodeURIComponent(id)}`;
  /** Files belong to a share, or to the answer of an end-to-end request (SPEC F13 with §3.1). */
  type FilesOf = "shares" | "requests";
  const owner = (id: string, of: FilesOf) => (of === "requests" ? request(id) : share(id));
  const blob = (id: string, blobId: string, of: FilesOf) =>
    `${owner(id, of)}/blobs/${encodeURIComponent(blobId)}`;

  /** Files (SPEC §3.1): raw bodies both ways; errors as for JSON calls. */
  async function transfer(path: string, init: RequestInit, timeout: boolean): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        ...init,
        redirect: "manual",
        // A download may take long: only its start is bounded, by the caller's own checks.
        ...(timeout ? { signal: AbortSignal.timeout(TIMEOUT_MS) } : {}),
      });
    } catch (error) {
      throw unreachable(base, error, TIMEOUT_MS);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      throw refusal(response, body);
    }
    return response;
  }

  return {
    base,
    hasToken: Boolean(token),
    config: () => call("GET", "/api/v1/config", { answer: ServerConfigParser }),
    createShare: (body: CreateShareBody) =>
      call("POST", "/api/v1/shares", { body, answer: CreateShareResponse }),
    shareMetadata: (id: string) => call("GET", share(id), { answer: ShareMetadata }),
    /** E-mails a code to the address of a recipient's link that needs one (issue 19). */
    requestEmailCode: (id: string, viewToken: string) =>
      call("POST", `${share(id)}/email-code`, { body: { viewToken }, answer: EmailCodeSent }),
    /** The caller's newest shares (the first page is enough to find one just created). */
    myShares: () => call("GET", "/api/v1/shares?creator=me&limit=20", { answer: ShareList }),
    revealShare: (id: string, body: RevealBody) =>
      call("POST", `${share(id)}/reveal`, { body, answer: RevealResponse }),
    /** With no tokens: as the signed-in sender or an admin (every recipient's link with it). */
    deleteShare: (
      id: string,
      auth:
        | { viewToken: string; verifier?: string; emailCode?: string }
        | { manageToken: string }
        | { member: true },
    ) =>
      call("DELETE", share(id), {
        headers:
          "viewToken" in auth
            ? {
                "x-view-token": auth.viewToken,
                ...(auth.verifier ? { "x-verifier": auth.verifier } : {}),
                ...(auth.emailCode ? { "x-email-code": auth.emailCode } : {}),
              }
            : "manageToken" in auth
              ? { "x-manage-token": auth.manageToken }
              : {},
        answer: NoContent,
      }),
    /** One page of the caller's own shares, newest first. */
    mySharesPage: (cursor: string | null) =>
      call(
        "GET",
        `/api/v1/shares?creator=me&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { answer: ShareList },
      ),
    manageShare: (id: string, manageToken: string) =>
      call("GET", `${share(id)}/manage`, {
        headers: { "x-manage-token": manageToken },
        answer: ManageInfo,
      }),
    putChunk: async (
      id: string,
      blobId: string,
      n: number,
      token: string,
      bytes: Uint8Array,
      of: FilesOf = "shares",
    ) => {
      const response = await transfer(
        `${blob(id, blobId, of)}/${n}`,
        {
          method: "PUT",
          headers: { "x-upload-token": token, "content-type": "application/octet-stream" },
          body: bytes as Uint8Array<ArrayBuffer>,
        },
        true,
      );
      await response.arrayBuffer();
    },
    uploadStatus: async (id: string, token: string, of: FilesOf = "shares") => {
      const response = await transfer(
        `${owner(id, of)}/upload`,
        { headers: { "x-upload-token": token, accept: "application/json" } },
        true,
      );
      return UploadStatus.parse(await response.json());
    },
    /** The encrypted blob from byte `from` on (a `Range` request when `from` > 0: 206 expected). */
    downloadBlob: (id: string, blobId: string, token: string, from = 0, of: FilesOf = "shares") =>
      transfer(
        blob(id, blobId, of),
        {
          headers: {
            "x-download-token": token,
            ...(from > 0 ? { range: `bytes=${from}-` } : {}),
          },
        },
        false,
      ),
    me: () => call("GET", "/api/v1/auth/me", { answer: Me }),
    createRequest: (body: CreateRequestBody) =>
      call("POST", "/api/v1/requests", { body, answer: CreateRequestResponse }),
    listRequests: (cursor?: string) =>
      call("GET", `/api/v1/requests${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, {
        answer: RequestList,
      }),
    revealRequest: (id: string) =>
      call("POST", `${request(id)}/reveal`, { body: {}, answer: RevealRequestResponse }),
    deleteRequest: (id: string) => call("DELETE", request(id), { answer: NoContent }),
    requestMetadata: (id: string) => call("GET", request(id), { answer: RequestMetadata }),
    /** Null for a text answer (204); an answer with `blobs` gets its upload token (200). */
    submitAnswer: async (
      id: string,
      answer: SealedAnswer & { blobs?: { id: string; size: number }[] },
    ) =>
      answer.blobs?.length
        ? call("POST", `${request(id)}/submit`, { body: answer, answer: SubmitRequestResponse })
        : call("POST", `${request(id)}/submit`, { body: answer, answer: NoContent }).then(
            () => null,
          ),
    openRequest: (id: string, readToken: string) =>
      call("POST", `${request(id)}/open`, { body: { readToken }, answer: OpenRequestResponse }),
    /** The audit log's NDJSON, as a stream of text (docs/SPEC.md, audit log). */
    auditExport: async (
      orgId: string,
      range: { since?: string | undefined; until?: string | undefined },
    ) => {
      const query = new URLSearchParams();
      if (range.since) query.set("since", range.since);
      if (range.until) query.set("until", range.until);
      const response = await transfer(
        `/api/v1/orgs/${encodeURIComponent(orgId)}/audit${query.size ? `?${query}` : ""}`,
        {
          headers: {
            accept: "application/x-ndjson",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        false,
      );
      if (!response.body) return [];
      return response.body.pipeThrough(new TextDecoderStream());
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** --server, then HUSHLINK_SERVER, then the server of `hushlink login`. */
export function homeServer(flag: string | undefined, ctx: Context, config: StoredConfig) {
  if (flag !== undefined) return normalizeServer(flag, "--server");
  if (ctx.env.HUSHLINK_SERVER) return normalizeServer(ctx.env.HUSHLINK_SERVER, "HUSHLINK_SERVER");
  if (config.server) return normalizeServer(config.server, "The server in the config file");
  return null;
}

/**
 * A client for the server a command talks to. The bearer token goes only to the server it belongs
 * to (HUSHLINK_TOKEN: the configured server; a stored token: the one `login` used), so following
 * someone else's link never hands them your token.
 */
export async function connect(
  ctx: Context,
  options: { server: string | undefined; linkBase?: string | null; command: string },
): Promise<ApiClient> {
  const config = await readConfig(ctx.env);
  const home = homeServer(options.server, ctx, config);
  const base = options.server !== undefined ? home : (options.linkBase ?? home);
  if (!base) {
    throw new UsageError(
      "Which server? Pass --server URL, set HUSHLINK_SERVER, or run hushlink login --server URL.",
      options.command,
    );
  }
  let token: string | null = null;
  if (ctx.env.HUSHLINK_TOKEN && home && sameOrigin(home, base)) token = ctx.env.HUSHLINK_TOKEN;
  else if (config.token && config.server && sameOrigin(config.server, base)) token = config.token;
  if (new URL(base).protocol === "http:" && !isLoopback(base)) {
    info(ctx, `hushlink: warning: ${base} is plain http; use https outside a test setup.`);
  }
  return createApiClient({ base, token, fetch: ctx.fetch });
}
