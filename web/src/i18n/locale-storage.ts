/** Where a language chosen in the picker is kept (i18n.ts; read early by boot/early-start.ts). */
export const LOCALE_STORAGE_KEY = "hushlink.locale";
