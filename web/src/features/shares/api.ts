/**
 * The share endpoints of HTTP API v1 (SPEC §4). Types come from the protocol package with
 * `import type`, so zod stays out of the bundle; answers are trusted to match them.
 */
import type {
  CreateShareBody,
  CreateShareResponse,
  GoneReason,
  RevealResponse,
  ShareMetadata,
  ShareStatus,
} from "@hushlink/protocol";

export interface PublicConfig {
  maxSecretBytes: number;
  maxExpiresIn: number;
  maxViews: number;
  emailEnabled: boolean;
  passwordAttempts: number;
}

export interface ManageStatus {
  id: string;
  name: string | null;
  status: ShareStatus;
  createdAt: string;
  expiresAt: string;
  maxViews: number | null;
  viewCount: number;
  goneAt: string | null;
}

export type { CreateShareBody, CreateShareResponse, GoneReason, RevealResponse, ShareMetadata };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields of `error`, e.g. `reason` and `at` for share_gone. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  get goneReason(): GoneReason | null {
    const reason = this.details.reason;
    return reason === "viewed" ||
      reason === "expired" ||
      reason === "deleted" ||
      reason === "locked"
      ? reason
      : null;
  }

  get goneAt(): string | null {
    return typeof this.details.at === "string" ? this.details.at : null;
  }

  get attemptsRemaining(): number | null {
    const n = this.details.attemptsRemaining;
    return typeof n === "number" ? n : null;
  }
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

function csrfToken(): string | null {
  const match = /(?:^|;\s*)hl_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

async function request<T>(
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  // Signed-in sessions (later) need the CSRF echo; anonymous calls have no cookie and skip it.
  const csrf = method === "GET" ? null : csrfToken();
  if (csrf) headers["X-CSRF-Token"] = csrf;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
      credentials: "same-origin",
      referrerPolicy: "no-referrer",
    });
  } catch {
    throw new ApiError(
      0,
      "network_error",
      "The server could not be reached. Check your connection and try again.",
    );
  }

  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = typeof data === "object" && data !== null && "error" in data ? data.error : null;
    if (typeof error === "object" && error !== null) {
      const { code, message, ...details } = error as Record<string, unknown>;
      throw new ApiError(
        response.status,
        typeof code === "string" ? code : `http_${response.status}`,
        typeof message === "string" ? message : `The server answered ${response.status}.`,
        details,
      );
    }
    throw new ApiError(
      response.status,
      `http_${response.status}`,
      `The server answered ${response.status}.`,
    );
  }
  return data as T;
}

const sharePath = (id: string) => `/api/v1/shares/${encodeURIComponent(id)}`;

export const sharesApi = {
  config: () => request<PublicConfig>("GET", "/api/v1/config"),

  create: (body: CreateShareBody) =>
    request<CreateShareResponse>("POST", "/api/v1/shares", { body }),

  metadata: (id: string) => request<ShareMetadata>("GET", sharePath(id)),

  reveal: (id: string, body: { viewToken: string; verifier?: string }) =>
    request<RevealResponse>("POST", `${sharePath(id)}/reveal`, { body }),

  destroyWithViewToken: (id: string, viewToken: string) =>
    request<void>("DELETE", sharePath(id), { headers: { "X-View-Token": viewToken } }),

  manageStatus: (id: string, manageToken: string) =>
    request<ManageStatus>("GET", `${sharePath(id)}/manage`, {
      headers: { "X-Manage-Token": manageToken },
    }),

  deleteWithManageToken: (id: string, manageToken: string) =>
    request<void>("DELETE", sharePath(id), { headers: { "X-Manage-Token": manageToken } }),
};
