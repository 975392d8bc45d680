/**
 * The environment the server reads: one zod schema over every variable, with its default, its
 * bounds and what it means (`describe`), and the checks that span variables. `config.ts` turns
 * the parsed result into the `Config` the rest of the server takes.
 */
import { isIP } from "node:net";

import { z } from "zod";

import {
  canonicalDomain,
  DEFAULT_MAX_SECRET_BYTES,
  MAX_VIEWS,
  MIN_EXPIRES_IN,
} from "@hushlink/protocol";

const bool = z
  .enum(["true", "false", "1", "0", "on", "off", "yes", "no"])
  .transform((v) => ["true", "1", "on", "yes"].includes(v));

const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    PUBLIC_URL: z
      .url({
        protocol: /^https?$/,
        message: "must be an http(s) URL such as https://secrets.example.com",
      })
      .optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, {
        message: "must be a postgres:// URL (leave unset for SQLite)",
      })
      .refine(isPostgresUrl, {
        message:
          "is not a URL PostgreSQL's client can read: check the port, and percent-encode @ : / # ? in the user name and password",
      })
      .optional(),
    DATABASE_POOL_SIZE: positiveInt(10, 1000).describe(
      "PostgreSQL connections per instance (instances x this must stay below max_connections)",
    ),
    DATABASE_PREPARED_STATEMENTS: z
      .union([z.literal("auto"), bool])
      .default("auto")
      .describe(
        "PostgreSQL: named prepared statements; auto: the hot statements, unnamed again where the server refuses a name; on: every statement (not behind PgBouncer in transaction mode before 1.21 with max_prepared_statements)",
      ),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, { message: "must be a redis:// or rediss:// URL" })
      .optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, { message: "must be an smtp:// or smtps:// URL" })
      .optional(),
    MAIL_FROM: z
      .string()
      .regex(/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, {
        message: "must be an address, alone or as Name <address> (Hushlink <no-reply@example.com>)",
      })
      .optional(),
    HUSHLINK_ROOT_KEY: z
      .string()
      .refine((v) => decodeKey(v) !== null, { message: "must be 32 bytes, base64 encoded" })
      .optional(),
    HUSHLINK_PREVIOUS_ROOT_KEYS: z
      .string()
      .refine((v) => decodeKeyList(v) !== null, {
        message: "must be a comma-separated list of 32-byte base64 keys",
      })
      .optional()
      .describe("retired root keys that may still open older values (docs/key-rotation.md)"),
    TRUST_PROXY: z
      .string()
      .refine(isTrustProxy, {
        message:
          "must be true, false, a hop count, or comma-separated proxy addresses or CIDRs (10.0.0.0/8, loopback)",
      })
      .default("false"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    MAX_SECRET_BYTES: positiveInt(DEFAULT_MAX_SECRET_BYTES, 1024 * 1024),
    MAX_EXPIRES_IN: z.coerce
      .number()
      .int()
      .min(MIN_EXPIRES_IN)
      .max(365 * 24 * 3600)
      .default(30 * 24 * 3600),
    MAX_VIEWS: positiveInt(MAX_VIEWS, MAX_VIEWS),
    PASSWORD_ATTEMPTS: positiveInt(10, 100),
    SWEEP_INTERVAL: positiveInt(60, 24 * 3600).describe("seconds between expiry sweeps"),
    AUDIT_RETENTION_DAYS: positiveInt(365, 100 * 365).describe("days the audit log keeps entries"),
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(["true", "false"])
      .default("false")
      .describe(
        "true: webhooks may use http:// and private, loopback or link-local addresses (tests, internal hooks)",
      ),
    RATE_LIMIT: z
      .enum(["on", "off"])
      .default("on")
      .describe("off switches the per-IP limits off (benchmarks, or a limiting proxy in front)"),
    RATE_LIMIT_CREATE: positiveInt(60).describe("creates per IP per minute"),
    RATE_LIMIT_REVEAL: positiveInt(120).describe("reveals and metadata reads per IP per minute"),
    RATE_LIMIT_SUBMIT: positiveInt(20).describe("request submissions per IP per minute"),
    RATE_LIMIT_SIGNIN: positiveInt(10).describe("sign-in and reset attempts per IP per minute"),
    RATE_LIMIT_SSO_VERIFY: positiveInt(10).describe(
      "DNS proofs of SSO domains per organization, and per admin, per minute",
    ),
    MAIL_LIMIT_ACCOUNT: positiveInt(30, 100_000).describe(
      "mails to others (invitations, share deliveries) one account may have sent per hour",
    ),
    MAIL_LIMIT_RECIPIENT: positiveInt(10, 100_000).describe(
      "such mails one address may receive per hour, from all accounts together",
    ),
    ANONYMOUS_SHARING: z
      .enum(["on", "off"])
      .default("on")
      .describe("off: only signed-in members may create shares; links still open for everyone"),
    ANONYMOUS_REQUESTS: z
      .enum(["on", "off"])
      .default("on")
      .describe("off: only signed-in members may ask for secrets (end-to-end requests, SPEC F13)"),
    SIGNUP: z
      .enum(["open", "invite", "domains"])
      .default("open")
      .describe("who may create an account: anyone, invited addresses only, or SIGNUP_DOMAINS"),
    SIGNUP_DOMAINS: z
      .string()
      .optional()
      .describe("comma-separated e-mail domains allowed to sign up with SIGNUP=domains"),
    RATE_LIMIT_UPLOAD: positiveInt(3000).describe(
      "file chunks (1 MiB each) uploaded and upload-status reads per IP per minute",
    ),
    RATE_LIMIT_DOWNLOAD: positiveInt(600).describe("file downloads per IP per minute"),
    MAX_FILES: z.coerce.number().int().min(0).max(1000).default(20).describe("files per share"),
    MAX_FILE_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 50)
      .default(1024 ** 3)
      .describe("plaintext bytes of all files of one share"),
    ANONYMOUS_MAX_FILE_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 50)
      .default(100 * 1024 ** 2)
      .describe("the same for creators who are not signed in; 0 switches their files off"),
    DOWNLOAD_WINDOW: positiveInt(3600, 30 * 24 * 3600).describe(
      "seconds the files stay downloadable after a reveal",
    ),
    BLOB_STORE: z.enum(["database", "s3"]).default("database"),
    S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    HEADERS_TIMEOUT_MS: positiveInt(10_000, 600_000).describe(
      "time a client has to send the request headers (slow clients are cut off)",
    ),
    REQUEST_TIMEOUT_MS: positiveInt(30_000, 3_600_000).describe(
      "time a client has to send the whole request",
    ),
    KEEP_ALIVE_TIMEOUT_MS: positiveInt(72_000, 3_600_000).describe(
      "idle keep-alive connections close after this; keep it above the load balancer's idle timeout",
    ),
    METRICS_PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe("serve /metrics on this port, a listener of its own (unset: not served there)"),
    METRICS_HOST: z.string().min(1).optional(),
    METRICS_TOKEN: z
      .string()
      .min(16, { message: "must be at least 16 characters" })
      .max(512)
      .regex(/^\S+$/, { message: "must not contain spaces" })
      .optional()
      .describe("bearer token /metrics asks for (on the public port, /metrics needs it)"),
    SHUTDOWN_DELAY_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(120_000)
      .default(0)
      .describe("after SIGTERM, keep serving this long with /readyz at 503 before closing"),
    SSO_DNS_SERVERS: z
      .string()
      .optional()
      .refine((v) => v === undefined || dnsServers(v) !== null, {
        message:
          "must be comma-separated IP addresses, each with an optional port (10.0.0.53,10.0.0.54:5353,[fd00::53]:53)",
      })
      .describe(
        "DNS servers that look up SSO domain proofs (split-horizon DNS); the system's resolver when unset",
      ),
    WEB_DIST: z.string().optional(),
    SECURE_COOKIES: bool.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SIGNUP === "domains" && signupDomains(env.SIGNUP_DOMAINS).length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["SIGNUP_DOMAINS"],
        message: "must list at least one domain (example.com,example.org) with SIGNUP=domains",
      });
    }
    const notDomains = (env.SIGNUP_DOMAINS ?? "")
      .split(",")
      .map((d) => d.trim())
      .filter((d) => d !== "" && signupDomains(d).length === 0);
    if (notDomains.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["SIGNUP_DOMAINS"],
        message: `${notDomains.length === 1 ? "this entry is" : "these entries are"} not a domain: ${notDomains.map((d) => JSON.stringify(d)).join(", ")} (example.com,example.org)`,
      });
    }
    const metricsHost = env.METRICS_HOST ?? env.HOST;
    const anyHost = (host: string) => host === "0.0.0.0" || host === "::";
    if (
      env.METRICS_PORT !== undefined &&
      env.METRICS_PORT !== 0 &&
      env.METRICS_PORT === env.PORT &&
      (metricsHost === env.HOST || anyHost(metricsHost) || anyHost(env.HOST))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["METRICS_PORT"],
        message:
          "must differ from PORT: /metrics gets a listener of its own (leave METRICS_PORT unset to serve it on PORT behind METRICS_TOKEN)",
      });
    }
    if (env.DATABASE_URL && !env.HUSHLINK_ROOT_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["HUSHLINK_ROOT_KEY"],
        message:
          "is required with DATABASE_URL: every instance must share one root key (generate one with `openssl rand -base64 32`)",
      });
    }
    if (env.BLOB_STORE === "s3" && !env.S3_BUCKET) {
      ctx.addIssue({
        code: "custom",
        path: ["S3_BUCKET"],
        message: "is required with BLOB_STORE=s3",
      });
    }
    if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["HEADERS_TIMEOUT_MS"],
        message: "must not be longer than REQUEST_TIMEOUT_MS",
      });
    }
  });

/**
 * Whether pg (pg-connection-string) can read the URL: it encodes spaces and stray percent signs
 * first, and takes an empty host (a Unix socket given as ?host=/path); anything else must parse.
 */
function isPostgresUrl(value: string): boolean {
  const text = /\s|%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(value)
    ? encodeURI(value).replace(/%25(\d\d)/g, "%$1")
    : value;
  return URL.canParse(text) || URL.canParse(text.replace("@/", "@___DUMMY___/"));
}

/** The forms Fastify's trustProxy takes; checked here so a typo stops the start with its name. */
function isTrustProxy(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (/^(true|false|yes|no|on|off|\d+)$/.test(v)) return true;
  return v.split(",").every((part) => isProxyAddress(part.trim()));
}

function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address = "", mask, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (mask === undefined) return true;
  if (/^\d{1,3}$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(mask) === 4;
}

export function decodeKey(value: string): Buffer | null {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const key = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return key.length === 32 ? key : null;
}

/** Comma-separated keys (spaces allowed); null if any of them is not a 32-byte key. */
export function decodeKeyList(value: string): Buffer[] | null {
  const keys = value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map(decodeKey);
  return keys.every((k): k is Buffer => k !== null) ? keys : null;
}

/**
 * SSO_DNS_SERVERS as node:dns's `setServers` takes them ("10.0.0.53", "10.0.0.53:5353",
 * "[fd00::53]:53"); null when any entry is not an IP address with an optional port (host names
 * are refused: resolving the resolver would need a resolver).
 */
export function dnsServers(value: string): string[] | null {
  const entries = value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const valid = (entry: string) => {
    const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(entry) ?? /^([^:]+):(\d{1,5})$/.exec(entry);
    const [address, port] = match ? [match[1]!, Number(match[2])] : [entry, 53];
    return isIP(address) !== 0 && port >= 1 && port <= 65535;
  };
  return entries.length > 0 && entries.every(valid) ? entries : null;
}

/**
 * "Example.com, example.org" → ["example.com", "example.org"]; a leading "@" is allowed. An
 * internationalized domain is kept in the spelling addresses are (protocol's email-domain.ts),
 * so `xn--bcher-kva.example` admits `bob@bücher.example`; one that mixes scripts is not a domain.
 */
export function signupDomains(value: string | undefined): string[] {
  return (value ?? "").split(",").flatMap((d) => {
    const verdict = canonicalDomain(d.trim().toLowerCase().replace(/^@/, ""));
    return verdict.ok && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(verdict.ascii) ? [verdict.domain] : [];
  });
}
