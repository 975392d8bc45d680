/** `hushlink get`'s files: the output folder checked up front, each file saved and reported. */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";

import { sanitiseFileName, type RevealResponse, type ShareFile } from "@hushlink/protocol";

import type { ApiClient } from "./api-client.js";
import { info, type Context } from "./context.js";
import { CliError, UsageError } from "./errors.js";
import { formatBytes, progressLine } from "./file-commands.js";
import { saveFile, type SavedFile } from "./files.js";

/** Refuses a folder that does not exist or cannot be written, before anything is used up. */
export async function writableFolder(dir: string, named: boolean): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error("not a folder");
    await access(dir, constants.W_OK);
  } catch {
    if (named)
      throw new UsageError(`--output ${dir} is not a folder this user can write to.`, "get");
    // The current folder is only needed when the secret turns out to carry files.
  }
}

/**
 * Saves every file it can, each failure told and the rest still tried; `failure` (one line per
 * file that failed) is for the caller to raise once the text is printed: the view that allowed
 * the download is used up, so the text must not be lost with a file.
 */
export async function saveAll(
  ctx: Context,
  api: ApiClient,
  args: {
    shareId: string;
    revealed: Pick<RevealResponse, "downloadToken" | "downloadExpiresAt">;
    of?: "shares" | "requests";
    files: ShareFile[];
    dir: string;
    force: boolean;
  },
): Promise<{ saved: SavedFile[]; failure: CliError | null }> {
  const { revealed, files } = args;
  if (files.length === 0) return { saved: [], failure: null };
  const downloadToken = revealed.downloadToken;
  if (!downloadToken) {
    return {
      saved: [],
      failure: new CliError("The secret lists files but the server gave no download."),
    };
  }
  const saved: SavedFile[] = [];
  const failed: string[] = [];
  const names = new Set<string>();
  for (const file of files) {
    const line = progressLine(ctx, "Downloading");
    try {
      const result = await saveFile(api, {
        saved: names,
        shareId: args.shareId,
        downloadToken,
        ...(args.of ? { of: args.of } : {}),
        file,
        dir: args.dir,
        force: args.force,
        onProgress: (done) => line.update(done, file.size),
      });
      line.end();
      saved.push(result);
      const twin = names.has(sanitiseFileName(file.name));
      names.add(result.name);
      const renamed = twin
        ? " — another file of this secret has that name"
        : args.force
          ? " — a folder has that name"
          : " — that name was taken; --force overwrites";
      info(
        ctx,
        `Saved:    ${result.path} (${formatBytes(result.size)})${result.renamed ? renamed : ""}`,
      );
    } catch (error) {
      line.end();
      const reason = error instanceof Error ? error.message : String(error);
      const until = revealed.downloadExpiresAt
        ? ` (downloadable until ${revealed.downloadExpiresAt})`
        : "";
      failed.push(`${file.name} could not be saved: ${reason}${until}`);
    }
  }
  // One line each, as the command's own error line reads ("hushlink: …").
  const failure = failed.length > 0 ? new CliError(failed.join("\nhushlink: ")) : null;
  return { saved, failure };
}
