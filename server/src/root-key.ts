import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { decodeKey } from "./config.js";

export interface RootKeyResult {
  key: Buffer;
  /** Set when the key was generated into DATA_DIR now: the caller logs a warning. */
  generatedAt: string | null;
  source: "environment" | "file";
}

/**
 * The instance root key wraps the data keys of secret requests and the outbox. It comes from
 * HUSHLINK_ROOT_KEY or, for the embedded default only, from DATA_DIR/root.key (created once,
 * mode 0600). PostgreSQL deployments must configure it: the config refuses to start otherwise.
 */
export function loadRootKey(configured: Buffer | null, dataDir: string): RootKeyResult {
  if (configured) return { key: configured, generatedAt: null, source: "environment" };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, "root.key");
  try {
    const key = decodeKey(readFileSync(file, "utf8"));
    if (!key) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return { key, generatedAt: null, source: "file" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  // "wx": never overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadRootKey(null, dataDir);
    throw error;
  }
  chmodSync(file, 0o600);
  return { key, generatedAt: file, source: "file" };
}
