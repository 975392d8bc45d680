/**
 * Root key rotation for secret requests (docs/key-rotation.md): re-wraps every stored data key
 * under the current root key, so a retired key can be dropped without waiting for old requests
 * to expire. Values themselves are never decrypted or rewritten; only 32-byte data keys are.
 *
 * Run it as a one-shot command with the server's environment (HUSHLINK_ROOT_KEY = the new key,
 * HUSHLINK_PREVIOUS_ROOT_KEYS = the retired ones):
 *   node server/dist/features/requests/requests.rewrap.js
 * It is safe next to running instances: each row changes only if its wrapped key is still the
 * one that was read (a reveal may re-wrap the same row at the same moment).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { ConfigError, loadConfig } from "../../config.js";
import { openDatabase, type DatabaseHandle } from "../../db/database.js";
import { rewrapKey } from "../../lib/data-keys.js";
import { rootKeyId, SealError } from "../../lib/sealing.js";
import { loadRootKey } from "../../root-key.js";
import * as repo from "./requests.repository.js";
import { sealContext } from "./requests.service.js";

export interface RewrapResult {
  currentKeyId: string;
  rewrapped: number;
  /** Rows whose data key could not be unwrapped (their root key is not configured), by key id. */
  unreadable: Record<string, number>;
}

/** Re-wraps, in batches, every data key not wrapped by `rootKeys[0]`. */
export async function rewrapRequests(
  database: Pick<DatabaseHandle, "db">,
  rootKeys: readonly Buffer[],
  batch = 200,
): Promise<RewrapResult> {
  const current = rootKeys[0];
  if (!current) throw new Error("rewrapRequests needs the current root key");
  const currentKeyId = rootKeyId(current);
  const result: RewrapResult = { currentKeyId, rewrapped: 0, unreadable: {} };
  let after: string | null = null;
  for (;;) {
    const rows = await repo.listToRewrap(database.db, { currentKeyId, batch, after });
    for (const row of rows) {
      if (row.wrapped_key === null) continue;
      try {
        const next = rewrapKey(rootKeys, row.wrapped_key, sealContext(row.id));
        if (
          next &&
          (await repo.replaceWrappedKey(database.db, {
            id: row.id,
            from: row.wrapped_key,
            to: next.wrappedKey,
            keyId: next.keyId,
          }))
        ) {
          result.rewrapped += 1;
        }
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        const keyId = row.wrapped_key.split(".")[1] ?? "unknown";
        result.unreadable[keyId] = (result.unreadable[keyId] ?? 0) + 1;
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < batch) break;
    after = last.id;
  }
  return result;
}

async function main(): Promise<void> {
  const config = loadConfig();
  // Never generate a key here (loadRootKey would): a new key would make nothing readable.
  if (!config.rootKey && !existsSync(join(config.dataDir, "root.key"))) {
    throw new Error("No root key: set HUSHLINK_ROOT_KEY (the new key) to re-wrap under it.");
  }
  const { key } = loadRootKey(config.rootKey, config.dataDir);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await rewrapRequests(database, [key, ...config.previousRootKeys]);
    const left = await repo.countByKeyId(database.db);
    console.error(
      `Re-wrapped ${result.rewrapped} data key(s) under root key ${result.currentKeyId}.`,
    );
    console.error(
      `Data keys by root key now: ${left.map((l) => `${l.keyId}: ${l.count}`).join(", ") || "none stored"}.`,
    );
    const unreadable = Object.entries(result.unreadable);
    if (unreadable.length > 0) {
      console.error(
        `Could not unwrap ${unreadable.map(([id, n]) => `${n} under ${id}`).join(", ")}: ` +
          "add that root key to HUSHLINK_PREVIOUS_ROOT_KEYS and run again.",
      );
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(
      error instanceof ConfigError ? error.message : `Re-wrap failed: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  });
}
