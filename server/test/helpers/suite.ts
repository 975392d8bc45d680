/**
 * What a describe block sets up once and tears down after its tests: the app, or the app with a
 * real SMTP server and a listening port. Each call registers its own beforeAll/afterAll, so the
 * suites that use it do not each repeat the same hooks around a `let`.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

import { createManualClock, type ManualClock } from "../../src/clock.js";
import type { Dialect } from "../../src/db/database.js";
import { createTestApp, type TestApp, type TestAppOptions } from "./app.js";
import { listen } from "./live.js";
import { startSmtpServer, type TestSmtpServer } from "./smtp.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

/**
 * A stand-in for a value made in beforeAll (or, with `each`, made afresh in beforeEach): reading
 * any property before then is an error, after then it reads the value's own. Lets a suite write
 * `const t = suiteApp(dialect)` at the top.
 */
export function madeBeforeAll<T extends object>(
  make: () => Promise<T>,
  close: (value: T) => Promise<void>,
  each = false,
): T {
  let value: T | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    value = await make();
  });
  (each ? afterEach : afterAll)(async () => {
    const made = value;
    value = undefined;
    if (made) await close(made);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!value) throw new Error(`read ${String(key)} outside the suite's tests`);
      const property: unknown = Reflect.get(value, key, value);
      return typeof property === "function" ? (property.bind(value) as unknown) : property;
    },
    // Tests switch a made server's behaviour by assignment (`dns.failing = true`): the value
    // itself must change, not the empty stand-in.
    set(_target, key, property: unknown) {
      if (!value) throw new Error(`set ${String(key)} outside the suite's tests`);
      return Reflect.set(value, key, property, value);
    },
    has: (_target, key) => value !== undefined && key in value,
  });
}

/** One app for the whole describe block, closed after it. */
export function suiteApp(dialect: Dialect, options: TestAppOptions = {}): TestApp {
  return madeBeforeAll(
    () => createTestApp(dialect, options),
    (t) => t.close(),
  );
}

/**
 * A new app, and so a new clock, for every test of the block: for tests that move the clock, so
 * that no test sees the time another one set.
 */
export function appPerTest(dialect: Dialect, options: TestAppOptions = {}): TestApp {
  return madeBeforeAll(
    () => createTestApp(dialect, options),
    (t) => t.close(),
    true,
  );
}

/**
 * A manual clock of its own for every test, behind the one clock an app made for the whole block
 * keeps: the app reads whichever is the current test's. A test that moves the clock moves it for
 * itself alone, and every test (and every hook between tests) starts at the same instant, without
 * the cost of a new app and database per test (`appPerTest`). The app keeps no time of its own in
 * memory, only rows, so what an earlier test wrote stays, as with any shared app.
 */
export function clockPerTest(start?: number): ManualClock {
  let current = createManualClock(start);
  const fresh = () => {
    current = createManualClock(start);
  };
  beforeEach(fresh);
  afterEach(fresh);
  return {
    now: () => current.now(),
    advance: (ms) => current.advance(ms),
    set: (ms) => current.set(ms),
  };
}

export interface ListeningApp {
  t: TestApp;
  /** The base URL the app listens on (127.0.0.1, a free port); read it inside a test. */
  readonly base: string;
}

/**
 * One app for the whole block, listening on a port (127.0.0.1, a free one) as well as taking
 * `inject`: for tests that need a real connection (raw bodies, races, clients). `t` may be taken
 * out at once; `base` is read inside a test or hook.
 */
export function listeningApp(dialect: Dialect, options: TestAppOptions = {}): ListeningApp {
  const port = listeningPort();
  const t = madeBeforeAll(
    async () => {
      const app = await createTestApp(dialect, options);
      await port.listen(app);
      return app;
    },
    (app) => app.close(),
  );
  return {
    t,
    get base() {
      return port.base;
    },
  };
}

/** Where a suite's app listens, known once its beforeAll has made it listen. */
function listeningPort() {
  let base: string | undefined;
  return {
    async listen(app: TestApp) {
      base = await listen(app);
    },
    get base() {
      if (!base) throw new Error("read base before the suite's beforeAll");
      return base;
    },
  };
}

export interface WebhookSuite {
  t: TestApp;
  receiver: WebhookReceiver;
}

/**
 * A real webhook receiver and an app that may deliver to it (WEBHOOK_ALLOW_PRIVATE: the receiver
 * listens on 127.0.0.1), for the whole block; the receiver is up before the app is made and
 * stopped after it is closed. `t` and `receiver` may be taken out at once.
 */
export function webhookSuite(dialect: Dialect, options: TestAppOptions = {}): WebhookSuite {
  const receiver = madeBeforeAll(startWebhookReceiver, (made) => made.close());
  const env = { WEBHOOK_ALLOW_PRIVATE: "true", ...options.env };
  return { t: suiteApp(dialect, { ...options, env }), receiver };
}

export interface MailSuite {
  t: TestApp;
  smtp: TestSmtpServer;
}

export type LiveSuite = MailSuite & ListeningApp;

/**
 * A real SMTP server and an app that sends to it, for the whole block. `t` and `smtp` may be taken
 * out at once (`const { t, smtp } = mailSuite(dialect)`).
 */
export function mailSuite(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: Omit<TestAppOptions, "env"> = {},
): MailSuite {
  const { t, smtp } = smtpAndApp(dialect, env, options, async () => {});
  return { t, smtp };
}

/** `mailSuite`, with the app listening on a port as well (`base`, read in tests). */
export function liveSuite(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: Omit<TestAppOptions, "env"> = {},
): LiveSuite {
  const port = listeningPort();
  const { t, smtp } = smtpAndApp(dialect, env, options, (app) => port.listen(app));
  return {
    t,
    smtp,
    get base() {
      return port.base;
    },
  };
}

function smtpAndApp(
  dialect: Dialect,
  env: Record<string, string>,
  options: Omit<TestAppOptions, "env">,
  started: (app: TestApp) => Promise<void>,
): MailSuite {
  // Hooks run in the order registered and the after hooks in reverse: the SMTP server is up
  // before the app is made, and the app is closed before the server stops.
  const smtp = madeBeforeAll(startSmtpServer, (server) => server.stop());
  const t = madeBeforeAll(
    async () => {
      const app = await createTestApp(dialect, { ...options, env: { SMTP_URL: smtp.url, ...env } });
      await started(app);
      return app;
    },
    (app) => app.close(),
  );
  return { t, smtp };
}
