// The protocol without the zod schemas: what browsers bundle, so pages stay small.
export * from "./constants.js";
export * from "./crypto.js";
export * from "./decrypt-body.js";
export * from "./email-domain.js";
export * from "./encoding.js";
export * from "./file-names.js";
export * from "./files.js";
export * from "./link.js";
export * from "./locales.js";
export * from "./payload.js";
export * from "./requests.js";
export * from "./recipient-links.js";
export type * from "./test-vectors.js";
