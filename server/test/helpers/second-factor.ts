/**
 * Second factor (F16) for tests: an authenticator app set up through the API, with codes made by
 * otplib at the app's injected clock, so nothing waits for a real 30-second step.
 */
import { generate } from "otplib";
import { expect } from "vitest";

import type { Client } from "./accounts.js";
import type { TestApp } from "./app.js";
import { json } from "./http.js";

/** One TOTP time step. */
export const TOTP_STEP_MS = 30_000;

/** The code an authenticator app holding `secret` shows at `at` (the app's clock by default). */
export const totpAt = (t: Pick<TestApp, "clock">, secret: string, at = t.clock.now()) =>
  generate({ secret, epoch: Math.floor(at / 1000) });

/** A six-digit code that is not `good`. */
export const wrongCode = (good: string) => (good === "000000" ? "111111" : "000000");

/** Sets up the authenticator app of `client`: its secret and the ten recovery codes. */
export async function enrolTotp(t: Pick<TestApp, "clock">, client: Client) {
  const started = await client.inject({ method: "POST", url: "/api/v1/auth/second-factor/totp" });
  expect(started.statusCode, started.body).toBe(200);
  const { secret } = json<{ secret: string }>(started);
  const confirmed = await client.inject({
    method: "POST",
    url: "/api/v1/auth/second-factor/totp/confirm",
    payload: { code: await totpAt(t, secret) },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { secret, recoveryCodes: json<{ recoveryCodes: string[] }>(confirmed).recoveryCodes };
}
