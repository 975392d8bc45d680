/**
 * Per-IP rate limits by route group (SPEC §3). In memory by default; in Redis when REDIS_URL is
 * set, so every instance counts against the same budget. The client IP honours TRUST_PROXY.
 */
import rateLimit, { type RateLimitOptions } from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";

import type { Config } from "../config.js";
import { AppError } from "../errors.js";

export type RateLimitGroup = "create" | "reveal" | "submit" | "signin";

export async function registerRateLimit(app: FastifyInstance, redis: Redis | null): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: "hushlink:rl:" } : {}),
    // A Redis outage must not take the API down with it.
    skipOnError: true,
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        "rate_limited",
        `Too many requests. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`,
      ),
  });
}

/** Route config for a group: shares one budget per IP across the group's routes. */
export function rateLimitFor(
  config: Config,
  group: RateLimitGroup,
): { rateLimit: false | RateLimitOptions } {
  if (!config.rateLimit.enabled) return { rateLimit: false };
  return { rateLimit: { max: config.rateLimit[group], timeWindow: 60_000, groupId: group } };
}
