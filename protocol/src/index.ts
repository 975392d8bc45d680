// The whole protocol: what browsers bundle (client.ts), the audit chain and the zod schemas.
export * from "./client.js";
export type * from "./answer-drift.js";
export * from "./audit.js";
export * from "./schemas/accounts.js";
export * from "./schemas/audit.js";
export * from "./schemas/common.js";
export * from "./schemas/files.js";
export * from "./schemas/orgs.js";
export * from "./schemas/requests.js";
export * from "./schemas/shares.js";
export * from "./schemas/errors.js";
export * from "./schemas/sso.js";
export * from "./schemas/policies.js";
export * from "./schemas/second-factor.js";
export * from "./schemas/passkeys.js";
export * from "./schemas/webhooks.js";
