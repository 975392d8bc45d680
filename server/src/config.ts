/**
 * Configuration: one zod schema over the environment (`config/env.ts`), parsed once at start-up
 * into a frozen `Config`. Every problem is reported at once so an operator fixes a bad
 * deployment in one go.
 */
import { decodeKey, decodeKeyList, dnsServers, EnvSchema, signupDomains } from "./config/env.js";

export { decodeKey, decodeKeyList } from "./config/env.js";

export interface Config {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  publicUrl: string;
  /** Whether PUBLIC_URL was set, not guessed as http://localhost:$PORT. */
  publicUrlSet: boolean;
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  /**
   * PostgreSQL: named prepared statements (DATABASE_PREPARED_STATEMENTS): "auto" (the default)
   * for the hot statements with a fallback, true for every statement, false for none.
   */
  databasePreparedStatements: boolean | "auto";
  redisUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  rootKey: Buffer | null;
  /** Retired root keys, tried after the current one when opening (never used to seal). */
  previousRootKeys: readonly Buffer[];
  trustProxy: boolean | number | string[];
  logLevel: string;
  limits: {
    maxSecretBytes: number;
    maxExpiresIn: number;
    maxViews: number;
    passwordAttempts: number;
  };
  /** Files (SPEC F12): limits and where the encrypted chunks are kept. */
  files: {
    maxFiles: number;
    maxBytes: number;
    anonymousMaxBytes: number;
    downloadWindowMs: number;
    store: "database" | "s3";
    s3: {
      endpoint: string | null;
      region: string;
      bucket: string | null;
      accessKeyId: string | null;
      secretAccessKey: string | null;
      forcePathStyle: boolean;
    };
  };
  sweepIntervalMs: number;
  /** Days the audit log keeps an entry (features/audit prunes older ones). */
  auditRetentionDays: number;
  /** Whether webhook endpoints may be http:// and on private addresses (features/webhooks). */
  webhookAllowPrivate: boolean;
  /** Mails sent on an account's behalf to others, per hour (lib/mail-quota.ts). */
  mailLimits: { perAccount: number; perRecipient: number };
  /** Whether people without an account may create (end-to-end) requests. */
  anonymousRequests: boolean;
  anonymousSharing: boolean;
  /** Who may sign up: anyone, invited addresses only, or addresses of `domains`. */
  signup: { mode: "open" | "invite" | "domains"; domains: readonly string[] };
  rateLimit: {
    enabled: boolean;
    create: number;
    reveal: number;
    submit: number;
    signin: number;
    upload: number;
    download: number;
    /** Per organization and per caller, not per IP (plugins/rate-limit.ts, keyedLimits). */
    ssoVerify: number;
  };
  /** Limits on slow clients, in milliseconds (plugins/limits.ts). */
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
  };
  /** /metrics: on a port of its own, and/or behind a bearer token (plugins/metrics.ts). */
  metrics: { port: number | null; host: string; token: string | null };
  /** After SIGTERM: serve on, /readyz answering 503, for this long before closing (main.ts). */
  shutdownDelayMs: number;
  /** The DNS servers SSO domain proofs are looked up at; null: the system's resolver. */
  ssoDnsServers: readonly string[] | null;
  webDist: string | null;
  secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function parseTrustProxy(value: string): boolean | number | string[] {
  const v = value.trim().toLowerCase();
  if (["false", "0", "no", "off", ""].includes(v)) return false;
  if (["true", "yes", "on"].includes(v)) return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(",").map((s) => s.trim());
}

/** Parses the environment; throws ConfigError naming every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // Empty strings count as unset, as they do in most deployment tools.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`,
      ),
    );
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    publicUrlSet: e.PUBLIC_URL !== undefined,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    redisUrl: e.REDIS_URL ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? `Hushlink <no-reply@${new URL(publicUrl).hostname}>`,
    rootKey: e.HUSHLINK_ROOT_KEY ? decodeKey(e.HUSHLINK_ROOT_KEY) : null,
    previousRootKeys: Object.freeze(
      e.HUSHLINK_PREVIOUS_ROOT_KEYS ? (decodeKeyList(e.HUSHLINK_PREVIOUS_ROOT_KEYS) ?? []) : [],
    ),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    limits: Object.freeze({
      maxSecretBytes: e.MAX_SECRET_BYTES,
      maxExpiresIn: e.MAX_EXPIRES_IN,
      maxViews: e.MAX_VIEWS,
      passwordAttempts: e.PASSWORD_ATTEMPTS,
    }),
    files: Object.freeze({
      maxFiles: e.MAX_FILES,
      maxBytes: e.MAX_FILE_BYTES,
      anonymousMaxBytes: e.ANONYMOUS_MAX_FILE_BYTES,
      downloadWindowMs: e.DOWNLOAD_WINDOW * 1000,
      store: e.BLOB_STORE,
      s3: Object.freeze({
        endpoint: e.S3_ENDPOINT ?? null,
        region: e.S3_REGION,
        bucket: e.S3_BUCKET ?? null,
        accessKeyId: e.S3_ACCESS_KEY_ID ?? null,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? null,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      }),
    }),
    sweepIntervalMs: e.SWEEP_INTERVAL * 1000,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE === "true",
    mailLimits: Object.freeze({
      perAccount: e.MAIL_LIMIT_ACCOUNT,
      perRecipient: e.MAIL_LIMIT_RECIPIENT,
    }),
    anonymousRequests: e.ANONYMOUS_REQUESTS === "on",
    anonymousSharing: e.ANONYMOUS_SHARING === "on",
    signup: Object.freeze({
      mode: e.SIGNUP,
      domains: Object.freeze(e.SIGNUP === "domains" ? signupDomains(e.SIGNUP_DOMAINS) : []),
    }),
    rateLimit: Object.freeze({
      enabled: e.RATE_LIMIT === "on",
      create: e.RATE_LIMIT_CREATE,
      reveal: e.RATE_LIMIT_REVEAL,
      submit: e.RATE_LIMIT_SUBMIT,
      signin: e.RATE_LIMIT_SIGNIN,
      upload: e.RATE_LIMIT_UPLOAD,
      download: e.RATE_LIMIT_DOWNLOAD,
      ssoVerify: e.RATE_LIMIT_SSO_VERIFY,
    }),
    http: Object.freeze({
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    }),
    metrics: Object.freeze({
      port: e.METRICS_PORT ?? null,
      host: e.METRICS_HOST ?? e.HOST,
      token: e.METRICS_TOKEN ?? null,
    }),
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    ssoDnsServers: e.SSO_DNS_SERVERS ? Object.freeze(dnsServers(e.SSO_DNS_SERVERS) ?? []) : null,
    webDist: e.WEB_DIST ?? null,
    secureCookies: e.SECURE_COOKIES ?? publicUrl.startsWith("https://"),
  });
}
