/// <reference types="vite/client" />

/** One merged, compiled catalog per locale (web/lingui-catalogs.ts). */
declare module "virtual:lingui-catalog/*" {
  import type { Messages } from "@lingui/core";
  export const messages: Messages;
}
