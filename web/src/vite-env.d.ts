/// <reference types="vite/client" />

/** One merged, compiled catalog per locale (web/lingui-catalogs.ts). */
declare module "virtual:lingui-catalog/*" {
  import type { Messages } from "@lingui/core";
  export const messages: Messages;
}

/** `catalogs[locale][area]()` loads one compiled catalog (web/lingui-catalogs.ts). */
declare module "virtual:lingui-catalogs" {
  import type { Messages } from "@lingui/core";
  const catalogs: Record<string, Record<string, () => Promise<{ messages: Messages }>>>;
  export default catalogs;
}
