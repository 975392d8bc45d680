/**
 * Builds the Fastify app from its dependencies. No I/O at import and no listening here: tests
 * build as many apps as they like, on any database, and talk to them with inject or real HTTP.
 */
import { fileURLToPath } from "node:url";

import cookie from "@fastify/cookie";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply } from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import { maxCiphertextBytes } from "@hushlink/protocol";

import { systemClock, type Clock } from "./clock.js";
import { useZodCompilers, ZOD_COMPILERS } from "./lib/zod-compilers.js";
import { withRequestChildren } from "./logger.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/database.js";
import { loadUser, registerAuthContext } from "./features/auth/auth.context.js";
import { registerAuditRoutes } from "./features/audit/audit.routes.js";
import { createAuditService } from "./features/audit/audit.service.js";
import {
  auditAuth,
  auditBranding,
  auditOrgs,
  auditPolicies,
  auditRequests,
  auditShares,
  auditSso,
  auditTokens,
  auditWebhooks,
} from "./features/audit/audit.wiring.js";
import { registerAuthRoutes } from "./features/auth/auth.routes.js";
import { createBlobMetrics } from "./features/blobs/blobs.metrics.js";
import { registerBlobRoutes } from "./features/blobs/blobs.routes.js";
import { createBlobsService } from "./features/blobs/blobs.service.js";
import { createBlobSweeper } from "./features/blobs/blobs.sweeper.js";
import { createRequestFiles } from "./features/blobs/request-files.service.js";
import { createBlobStore, reportBlobStore, type BlobStore } from "./features/blobs/store/index.js";
import { createAccountSteps } from "./features/auth/account-steps.js";
import { createAuthService } from "./features/auth/auth.service.js";
import type { ProofCaller } from "./features/auth/recent-proof.js";
import { registerBrandingRoutes } from "./features/branding/branding.routes.js";
import { createBrandingService } from "./features/branding/branding.service.js";
import { createMailService } from "./features/mail/mail.service.js";
import { registerOrgRoutes } from "./features/orgs/orgs.routes.js";
import { registerPolicyRoutes } from "./features/policies/policies.routes.js";
import { createPoliciesService } from "./features/policies/policies.service.js";
import { createOrgsService } from "./features/orgs/orgs.service.js";
import { registerRequestRoutes } from "./features/requests/requests.routes.js";
import { createRequestsService } from "./features/requests/requests.service.js";
import { registerTokenRoutes } from "./features/tokens/tokens.routes.js";
import { createTokensService } from "./features/tokens/tokens.service.js";
import { registerHealthRoutes } from "./features/health/health.routes.js";
import { registerMetaRoutes } from "./features/meta/meta.routes.js";
import { createOrgDeletion } from "./features/orgs/org-deletion.js";
import { deleteAllOf as deleteRequestsOf } from "./features/requests/requests.repository.js";
import { destroyShare, type GoneStatus } from "./features/shares/shares.repository.js";
import { registerShareRoutes } from "./features/shares/shares.routes.js";
import { createSharesService } from "./features/shares/shares.service.js";
import { registerSsoRoutes } from "./features/sso/sso.routes.js";
import { createSsoService } from "./features/sso/sso.service.js";
import { systemResolve, type Resolve } from "./features/webhooks/webhooks.http.js";
import { registerWebhookRoutes } from "./features/webhooks/webhooks.routes.js";
import { createWebhooksService } from "./features/webhooks/webhooks.service.js";
import { createWebhookWorker } from "./features/webhooks/webhooks.worker.js";
import { createSweeper } from "./jobs/sweeper.js";
import { registerErrorHandler } from "./plugins/error-handler.js";
import { registerHttpConventions, requestIdGenerator } from "./plugins/http-conventions.js";
import { registerLimits, serverLimits } from "./plugins/limits.js";
import { createMetrics, registerMetrics, type Metrics } from "./plugins/metrics.js";
import { registerContractCheck, type ContractViolation } from "./plugins/contract.js";
import { registerOpenApi } from "./plugins/openapi.js";
import { registerRateLimit } from "./plugins/rate-limit.js";
import { registerRequestLog } from "./plugins/request-log.js";
import {
  fixedHeaders,
  registerSecurityHeaders,
  setAnswerHeaders,
} from "./plugins/security-headers.js";
import { registerWeb } from "./plugins/web.js";

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  rootKey: Buffer;
  clock?: Clock;
  metrics?: Metrics;
  redis?: Redis | null;
  /** Where file chunks go; by default the one BLOB_STORE names. */
  blobStore?: BlobStore;
  /** How webhook hosts are resolved; by default the system's resolver (tests map names). */
  webhookResolve?: Resolve;
  /** Called for an error answer the OpenAPI document does not list (tests fail on it). */
  onContractViolation?: (violation: ContractViolation) => void;
}

/** A hop count becomes "trust the n nearest proxies", which is what Fastify does with a number. */
function trustProxyOption(value: Config["trustProxy"]) {
  return typeof value === "number" ? (_address: string, hop: number) => hop < value : value;
}

const DEFAULT_WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

export async function buildApp(deps: AppDeps) {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics ?? createMetrics();

  const hsts = config.publicUrl.startsWith("https://");
  const answerHeaders = fixedHeaders({ hsts });
  const app = Fastify({
    // Each request's logger is made by Fastify's own factory (`logger.child`), which binds the
    // request id without running the redaction over it (withRequestChildren, issue 24).
    // Fastify types its own logger interface; pino's Logger is that interface and more.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: withRequestChildren(deps.logger) as FastifyBaseLogger,
    // Our own one-line request log replaces Fastify's (see plugins/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdGenerator(config.trustProxy),
    trustProxy: trustProxyOption(config.trustProxy),
    // Room for the largest ciphertext in base64url plus the other fields.
    bodyLimit: Math.ceil((maxCiphertextBytes(config.limits.maxSecretBytes) * 4) / 3) + 16 * 1024,
    // Timeouts against slow clients, the header size limit, and their 408/431 answers.
    ...serverLimits(config.http, { hsts }),
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Every route validates and serialises with zod. Naming the zod compilers here, not only
    // through useZodCompilers below, keeps Fastify from loading its default Ajv and
    // fast-json-stringify (about 450 modules, 100-200 ms of start-up; issue 24) no route uses.
    schemaController: { compilersFactory: ZOD_COMPILERS },
    // Malformed URLs and the like are refused before routing; answer them in our error shape too.
    // Fastify answers them outside every route, so no onSend hook runs: set the headers here.
    frameworkErrors: (error, request, reply) => {
      setAnswerHeaders(reply, request.id, answerHeaders);
      void (reply as FastifyReply).status(400).send({
        error: { code: "invalid_request", message: `The request is malformed (${error.code}).` },
      });
    },
  });
  useZodCompilers(app);
  // JSON only: text/plain bodies (and everything else) answer 415.
  app.removeContentTypeParser("text/plain");

  let pageShell: Buffer | null = null;
  const conventions = registerHttpConventions(app);
  registerErrorHandler(app, {
    notFoundPage: () => pageShell,
    allowedMethods: conventions.allowedMethods,
    now: () => clock.now(),
  });
  registerSecurityHeaders(app, { hsts });
  registerRequestLog(app, metrics);
  // With a metrics port of its own, the public port never serves them.
  registerMetrics(app, metrics, {
    token: config.metrics.port === null ? config.metrics.token : null,
  });
  const stopObserving = database.onGroupCommit?.((writes, syncSeconds) => {
    metrics.groupCommitWrites.observe(writes);
    metrics.walSyncDuration.observe(syncSeconds);
  });
  if (stopObserving) {
    app.addHook("onClose", (_instance, done) => {
      stopObserving();
      done();
    });
  }
  await app.register(cookie, { hook: false }); // The auth context's onRequest hook parses them.
  registerAuthContext(app, { database, clock });
  const keyed = await registerRateLimit(app, deps.redis ?? null, config);
  registerLimits(app, { hsts });
  await registerOpenApi(app, config.publicUrl);
  if (deps.onContractViolation) registerContractCheck(app, deps.onContractViolation);

  // Webhooks and SSO need auth's recent proof, but auth is made after them (it needs sso, and
  // the audit log needs webhooks): it is read only once requests arrive.
  const proof = { requireRecentProof: (c: ProofCaller) => auth.requireRecentProof(c) };
  const resolve = deps.webhookResolve ?? systemResolve;
  const webhooks = createWebhooksService({
    database,
    clock,
    rootKeys: [deps.rootKey, ...config.previousRootKeys],
    allowPrivate: config.webhookAllowPrivate,
    resolve,
    // The worker is made just below; a test delivery is only queued once requests arrive.
    onQueued: () => webhookSender.kick(),
    proof,
  });
  const webhookSender = createWebhookWorker({
    database,
    clock,
    logger: deps.logger,
    secretOf: (endpoint) => webhooks.secretOf(endpoint),
    allowPrivate: config.webhookAllowPrivate,
    resolve,
  });
  const audit = createAuditService({
    database,
    clock,
    logger: deps.logger,
    retentionDays: config.auditRetentionDays,
    webhooks: {
      enqueue: (trx, entry, subject) => webhooks.enqueue(trx, entry, subject),
      kick: () => webhookSender.kick(),
    },
  });
  const sweeper = createSweeper({
    database,
    clock,
    logger: deps.logger,
    metrics,
    intervalMs: config.sweepIntervalMs,
    pruneAudit: () => audit.prune(),
    onSharesExpired: async (expired) => {
      for (const { id, orgId } of expired)
        await audit.sink.record({
          type: "share.expired",
          org: orgId,
          actor: { kind: "anonymous", id: null },
          ip: null,
          target: { kind: "share", id },
        });
    },
  });
  const mail = createMailService({
    config,
    database,
    // Retired keys still open entries sealed before a rotation (docs/key-rotation.md).
    rootKey: [deps.rootKey, ...config.previousRootKeys],
    clock,
    logger: deps.logger,
  });
  const branding = createBrandingService({ database, clock });
  const blobStore = deps.blobStore ?? createBlobStore(config.files, database);
  const blobMetrics = createBlobMetrics(metrics.registry, database);
  // Shares' files and request answers' files: one store, one set of limits.
  const fileDeps = { database, clock, files: config.files, store: blobStore, metrics: blobMetrics };
  const blobs = createBlobsService(fileDeps);
  const requestFiles = createRequestFiles(fileDeps);
  const blobSweeper = createBlobSweeper({
    database,
    clock,
    store: blobStore,
    logger: deps.logger,
    metrics: blobMetrics,
    expireShare: (trx, id, at) => destroyShare(trx, { id, reason: "expired", at }),
  });
  const onDestroyed = (reason?: GoneStatus) => {
    sweeper.markDestroyed();
    // Files of a deleted, expired or locked share leave the store right after it (SPEC §3.1);
    // after the last view they stay until the download window closes, for the interval's sweep.
    if (reason !== "viewed") blobSweeper.kick();
  };
  const policies = createPoliciesService({ database, clock });
  const shares = createSharesService({
    publicUrl: config.publicUrl,
    branding,
    database,
    clock,
    limits: config.limits,
    metrics,
    mail,
    mailLimits: config.mailLimits,
    files: blobs,
    onDestroyed,
    policies,
  });
  mail.onDelivered(shares.deliveries.delivered);
  mail.onFailed(shares.deliveries.failed);
  const orgDeletion = createOrgDeletion({
    database,
    clock,
    erase: {
      shares: (trx, orgId, at) => shares.destroyAllOf(trx, { orgId, at }),
      requests: (trx, orgId) => deleteRequestsOf(trx, { orgId }),
    },
    onDestroyed,
  });
  const accountSteps = createAccountSteps(clock);
  const sso = createSsoService({
    database,
    clock,
    rootKeys: [deps.rootKey, ...config.previousRootKeys],
    config,
    ...accountSteps,
    proof,
  });
  const auth = createAuthService({
    database,
    clock,
    mail,
    publicUrl: config.publicUrl,
    rootKeys: [deps.rootKey, ...config.previousRootKeys],
    mailLimits: config.mailLimits,
    signup: config.signup,
    eraseAccountData: async (trx, userId, at) => {
      await orgDeletion.withdraw(trx, userId, at);
      await webhooks.pauseOwnedBy(trx, userId);
      await shares.destroyAllOf(trx, { creatorId: userId, at });
      await deleteRequestsOf(trx, { requesterId: userId });
    },
    eraseFilesFirst: (userId) => orgDeletion.eraseFilesFirst(userId),
    onDestroyed,
    passwordAllowed: sso.checkPasswordAllowed,
  });
  const tokens = createTokensService({ database, clock, mail, proof: auth });
  const orgs = createOrgsService({
    database,
    clock,
    mail,
    publicUrl: config.publicUrl,
    mailLimits: config.mailLimits,
    proof: auth,
    onAdminGone: (trx, orgId, userId) => webhooks.pauseOwnedBy(trx, userId, orgId),
  });
  const requests = createRequestsService({
    database,
    clock,
    limits: config.limits,
    publicUrl: config.publicUrl,
    rootKeys: [deps.rootKey, ...config.previousRootKeys],
    mail,
    branding,
    logger: deps.logger,
    // The files of a deleted or expired request's answer leave the store right after it.
    onDestroyed,
    policies,
    files: requestFiles,
  });
  requestFiles.onReady((trx, id) => requests.answerReady(trx, id));

  const readiness = registerHealthRoutes(app, { database, metrics });
  registerMetaRoutes(app, { config });
  registerShareRoutes(app, { config, shares: auditShares(shares, audit.sink) });
  await registerBlobRoutes(app, { config, blobs, requestFiles, slabs: blobStore.slabs });
  registerRequestRoutes(app, {
    config,
    requests: auditRequests(requests, audit.sink, database.db),
  });
  registerAuthRoutes(app, {
    config,
    auth: auditAuth(auth, audit.sink),
    loadMe: async (userId) => {
      const loaded = await loadUser(database, userId);
      if (!loaded) throw new Error("user vanished during sign-in");
      return loaded;
    },
  });
  registerTokenRoutes(app, { tokens: auditTokens(tokens, audit.sink) });
  registerOrgRoutes(app, {
    orgs: auditOrgs(orgs, audit.sink),
    deletion: orgDeletion,
    proof: auth,
  });
  registerBrandingRoutes(app, { branding: auditBranding(branding, audit.sink) });
  registerPolicyRoutes(app, { policies: auditPolicies(policies, audit.sink) });
  registerAuditRoutes(app, { audit });
  registerSsoRoutes(app, { config, sso: auditSso(sso, audit.sink), limits: keyed });
  registerWebhookRoutes(app, { webhooks: auditWebhooks(webhooks, audit.sink) });

  pageShell = await registerWeb(app, config.webDist ?? DEFAULT_WEB_DIST);
  if (!pageShell) deps.logger.warn("web app not built (run npm run build): serving the API only");

  app.addHook("onReady", (done) => {
    reportBlobStore(blobStore, deps.logger, config.files.s3.bucket);
    done();
  });
  app.addHook("onClose", async () => {
    await sweeper.stop();
    await blobSweeper.stop();
    await mail.stop();
    await webhookSender.stop();
    if (!deps.blobStore) await blobStore.close();
  });

  return {
    app,
    services: {
      shares,
      sweeper,
      mail,
      auth,
      tokens,
      orgs,
      branding,
      blobs,
      blobSweeper,
      audit,
      sso,
      policies,
      webhooks,
      webhookWorker: webhookSender,
    },
    metrics,
    readiness,
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
