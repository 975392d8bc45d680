export * from "./constants.js";
export * from "./crypto.js";
export * from "./encoding.js";
export * from "./link.js";
export * from "./schemas/accounts.js";
export * from "./schemas/common.js";
export * from "./schemas/requests.js";
export * from "./schemas/shares.js";
