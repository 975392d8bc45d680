/**
 * Per-IP rate limits by route group (SPEC §3): fixed one-minute windows, one budget per client IP
 * and group, shared by every route of the group. In memory by default; in Redis when REDIS_URL is
 * set, so every instance counts against the same budget. The client IP honours TRUST_PROXY.
 *
 * @fastify/rate-limit gives each route its own counter even with a groupId, so this file brings
 * its own store: keys are `{ip}|{group}` whatever the route. When Redis fails (down, or slower
 * than the ioredis commandTimeout set in main.ts) the limits fail open to per-instance counting:
 * requests keep being answered, each instance enforces the limit on its own, and the log says so
 * once per outage and once on recovery.
 *
 * A few routes are limited per subject instead (an organization, a caller: `keyedLimits`), counted
 * in the same store after the route has checked who is asking, so nobody spends another's budget.
 */
import rateLimit, {
  normalizeIP,
  type FastifyRateLimitStore,
  type RateLimitOptions,
} from "@fastify/rate-limit";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from "fastify";
import type { Redis } from "ioredis";

import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { codeOf } from "../lib/error-code.js";

export type RateLimitGroup = "create" | "reveal" | "submit" | "signin" | "upload" | "download";

export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Prefix of the Redis keys; use another Redis database number (redis://host/2) to separate deployments. */
export const REDIS_KEY_PREFIX = "hushlink:rl:";
/** While Redis is failing, one request a second tries it again; the others count in memory. */
const REDIS_RETRY_MS = 1_000;
/** IPv6 clients usually hold a /64: count the prefix, not each address in it. */
const IPV6_SUBNET = 64;

interface Count {
  current: number;
  ttl: number;
}

/** Fixed windows in process memory, bounded so that many client IPs cannot exhaust memory. */
export function createMemoryCounter(maxKeys = 100_000) {
  const windows = new Map<string, { count: number; resetAt: number }>();

  function makeRoom(now: number) {
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
    // Still full of live windows: forget the oldest tenth (a Map iterates in insertion order).
    let drop = windows.size >= maxKeys ? Math.ceil(maxKeys / 10) : 0;
    for (const key of windows.keys()) {
      if (drop-- <= 0) break;
      windows.delete(key);
    }
  }

  return {
    incr(key: string, windowMs: number, now = Date.now()): Count {
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        windows.delete(key);
        if (windows.size >= maxKeys) makeRoom(now);
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { current: w.count, ttl: w.resetAt - now };
    },
    get size() {
      return windows.size;
    },
  };
}

// INCR, and start the window on the first hit; PTTL repairs a key that lost its expiry.
const REDIS_INCR = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`;

/** The counter the limits use: Redis when configured and answering, memory otherwise. */
export function createLimitCounter(redis: Redis | null, log: FastifyBaseLogger) {
  const memory = createMemoryCounter();
  let failing = false;
  let retryAt = 0;

  async function incrRedis(client: Redis, key: string, windowMs: number): Promise<Count> {
    const reply = (await client.eval(REDIS_INCR, 1, REDIS_KEY_PREFIX + key, windowMs)) as [
      number,
      number,
    ];
    return { current: Number(reply[0]), ttl: Number(reply[1]) };
  }

  return {
    async incr(key: string, windowMs: number): Promise<Count> {
      if (!redis || (failing && Date.now() < retryAt)) return memory.incr(key, windowMs);
      try {
        const count = await incrRedis(redis, key, windowMs);
        if (failing) {
          failing = false;
          log.info("rate limits: Redis answers again; counting across instances");
        }
        return count;
      } catch (error) {
        retryAt = Date.now() + REDIS_RETRY_MS;
        if (!failing) {
          failing = true;
          log.warn(
            { errorCode: codeOf(error, "name") },
            "rate limits: Redis is unavailable; failing open to per-instance counting until it answers",
          );
        }
        return memory.incr(key, windowMs);
      }
    },
  };
}

/** Whole seconds until a window ends, at least one (Retry-After and the message say the same). */
const secondsLeft = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs / 1000));

/** The answer past any limit, per IP or per subject. */
const rateLimited = (ttlMs: number) =>
  new AppError(
    429,
    "rate_limited",
    `Too many requests. Try again in ${secondsLeft(ttlMs)} seconds.`,
  );

/** Limits counted per subject rather than per IP; their budgets are in Config.rateLimit. */
export type KeyedLimitGroup = "ssoVerify";

/** Spends one request of each subject's budget (`org:…`, `user:…`) or answers 429; see keyedLimits. */
export type KeyedLimits = (
  reply: FastifyReply,
  group: KeyedLimitGroup,
  subjects: readonly string[],
) => Promise<void>;

/**
 * Per-subject limits in the per-IP limits' store and windows, answering as they do (429
 * rate_limited with Retry-After). Subjects are counted in order and the first one over its budget
 * stops the count, so a caller already over theirs spends nothing of the organization's.
 */
export function keyedLimits(
  config: Config,
  counter: Pick<ReturnType<typeof createLimitCounter>, "incr">,
): KeyedLimits {
  return async (reply, group, subjects) => {
    if (!config.rateLimit.enabled) return;
    const max = config.rateLimit[group];
    for (const subject of subjects) {
      const { current, ttl } = await counter.incr(`${subject}|${group}`, RATE_LIMIT_WINDOW_MS);
      if (current <= max) continue;
      void reply.header("retry-after", String(secondsLeft(ttl)));
      throw rateLimited(ttl);
    }
  };
}

/** Registers the per-IP limits; answers the per-subject ones, which share their store. */
export async function registerRateLimit(
  app: FastifyInstance,
  redis: Redis | null,
  config: Config,
): Promise<KeyedLimits> {
  const counter = createLimitCounter(redis, app.log);
  // One store for every route (child returns itself): the key already names the group.
  class GroupStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, count?: Count) => void, timeWindow: number) {
      counter.incr(key, timeWindow).then(
        (count) => callback(null, count),
        (error: Error) => callback(error),
      );
    }
    child() {
      return this;
    }
  }
  await app.register(rateLimit, {
    global: false,
    store: GroupStore,
    // The counter never fails (memory is the fallback); this is a second line of defence.
    skipOnError: true,
    // The plugin appends the route's groupId to this key.
    keyGenerator: (request) => `${normalizeIP(request.ip, IPV6_SUBNET)}|`,
    errorResponseBuilder: (_request, context) => rateLimited(context.ttl),
  });
  return keyedLimits(config, counter);
}

/** Route config for a group: shares one budget per IP across the group's routes. */
export function rateLimitFor(
  config: Config,
  group: RateLimitGroup,
): { rateLimit: false | RateLimitOptions } {
  if (!config.rateLimit.enabled) return { rateLimit: false };
  return {
    rateLimit: { max: config.rateLimit[group], timeWindow: RATE_LIMIT_WINDOW_MS, groupId: group },
  };
}
