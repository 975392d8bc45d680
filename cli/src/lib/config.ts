/**
 * The user's settings: `$XDG_CONFIG_HOME/hushlink/config.json` (or ~/.config/hushlink/config.json),
 * directory 0700 and file 0600 because it holds an API token.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

import { CliError } from "./errors.js";

export interface StoredConfig {
  /** The server `hushlink login` was run against; the token is only ever sent there. */
  server?: string;
  token?: string;
}

export function configDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), ".config");
  return join(base, "hushlink");
}

export function configPath(env: Record<string, string | undefined>): string {
  return join(configDir(env), "config.json");
}

export async function readConfig(env: Record<string, string | undefined>): Promise<StoredConfig> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON: fix or delete it (hushlink logout).`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`${path} is not a JSON object: fix or delete it.`);
  }
  const record = value as Record<string, unknown>;
  const config: StoredConfig = {};
  if (typeof record.server === "string") config.server = record.server;
  if (typeof record.token === "string") config.token = record.token;
  return config;
}

export async function writeConfig(
  env: Record<string, string | undefined>,
  config: StoredConfig,
): Promise<string> {
  const dir = configDir(env);
  const path = configPath(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode alone; ours must not be readable by others.
  if (((await stat(dir)).mode & 0o077) !== 0) await chmod(dir, 0o700);
  // Write beside, then rename: a crash never leaves half a file, and the mode is set before the
  // token is in it.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}
