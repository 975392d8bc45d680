import { open } from "node:fs/promises";
import type { Readable } from "node:stream";

import { CliError } from "./errors.js";

/** Reads until the end, or stops once more than `limit` bytes have arrived. */
export async function readUpTo(
  stream: Readable,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer);
    chunks.push(buffer);
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/** A file's bytes, refusing directories and anything over `limit` without reading it all. */
export async function readFileUpTo(
  path: string,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean; size: number }> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code);
    throw new CliError(`Cannot read ${path}: ${why}.`);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new CliError(`${path} is a directory, not a file.`);
    if (stats.isFile() && stats.size > limit) {
      return { bytes: Buffer.alloc(0), truncated: true, size: stats.size };
    }
    const { bytes, truncated } = await readUpTo(
      handle.createReadStream({ autoClose: false }),
      limit,
    );
    return { bytes, truncated, size: bytes.length };
  } finally {
    await handle.close();
  }
}

/** The text exactly as read, or null when the bytes are not UTF-8 (a byte order mark is kept). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
