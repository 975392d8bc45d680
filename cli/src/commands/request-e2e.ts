/**
 * End-to-end requests (SPEC F13, §3.2) in the CLI: the key pair and reading secret are made
 * here, the answer is sealed here and opened here; the server only relays what it cannot read.
 */
import { parseArgs } from "node:util";

import {
  checkFingerprint,
  createRequestKeys,
  deriveReadingKeys,
  FingerprintMismatchError,
  InvalidLinkError,
  linksOfCreatedRequest,
  openAnswer,
  parseReadingLink,
  RequestId,
  RequestKeyError,
  sealAnswer,
  encryptedSize,
  type CreateRequestBody,
} from "@hushlink/protocol";

import { connect, type ApiClient } from "../lib/api-client.js";
import { checkAnswerFileLimits, uploadWithRetries } from "../lib/file-commands.js";
import { saveAll, writableFolder } from "../lib/file-downloads.js";
import { describeFiles } from "../lib/files.js";
import { COMMON_OPTIONS, parseCommandArgs, positionals, shownArgument } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { CliError, EXIT, formatDate, UsageError } from "../lib/errors.js";
import { decodeUtf8, readUpTo } from "../lib/input.js";
import { jsonLine, printable } from "../lib/terminal.js";

/** Creates an end-to-end request; the reading link goes to stdout, the request link to stderr. */
export async function createEndToEnd(
  ctx: Context,
  api: ApiClient,
  body: CreateRequestBody,
  json: boolean,
): Promise<number> {
  const keys = await createRequestKeys();
  const created = await api.createRequest({ ...body, ...keys.body });
  const links = linksOfCreatedRequest(created, keys);
  if (json) {
    ctx.stdout.write(
      jsonLine({
        id: created.id,
        ...links,
        expiresAt: created.expiresAt,
        ...(created.manageToken ? { manageToken: created.manageToken } : {}),
      }),
    );
    return EXIT.ok;
  }
  ctx.stdout.write(`${links.readingLink}\n`);
  info(ctx, `Send this link to who should answer: ${links.requestLink}`);
  info(ctx, "Keep the link above: it is the only key to the answer; Hushlink cannot recover it.");
  info(ctx, `Expires:  ${formatDate(created.expiresAt)}`);
  info(ctx, "Open:     hushlink request open READING_LINK");
  return EXIT.ok;
}

const REQUEST_LINK = /^(.*)\/r\/([A-Za-z0-9_-]+)\/?$/;

/** The server base, request id and fingerprint of `{server}/r/{id}#{fp}`. */
function parseRequestLink(arg: string): { base: string; id: string; fingerprint: string } {
  let url: URL | null = null;
  try {
    url = new URL(arg.trim());
  } catch {
    // reported below
  }
  const match = url ? REQUEST_LINK.exec(url.pathname) : null;
  const id = match?.[2] ?? "";
  if (!url || !match || !RequestId.safeParse(id).success || url.hash.length < 2) {
    throw new UsageError(
      `"${shownArgument(arg)}" is not an end-to-end request link (…/r/ID#FINGERPRINT).`,
      "request",
    );
  }
  return { base: `${url.origin}${match[1] ?? ""}`, id, fingerprint: url.hash.slice(1) };
}

/**
 * `request answer LINK [--file PATH …]`: reads the secret from stdin, encrypts it and any files
 * here after checking the key, submits, then uploads the files' chunks (resuming on a break).
 */
export async function answer(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs("request", () =>
    parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        file: { type: "string", short: "f", multiple: true },
        attach: { type: "string", short: "a", multiple: true },
      },
      allowPositionals: true,
    }),
  );
  const [arg = ""] = positionals("request", rest, ["REQUEST_LINK"]);
  const link = parseRequestLink(arg);
  const attached = await describeFiles([...(values.file ?? []), ...(values.attach ?? [])]);
  const api = await connect(ctx, {
    server: values.server,
    linkBase: link.base,
    command: "request",
  });
  const meta = await api.requestMetadata(link.id);
  if (!meta.publicKey) {
    throw new CliError("This request is not end-to-end encrypted: answer it in the browser.");
  }
  try {
    await checkFingerprint(meta.publicKey, link.fingerprint);
  } catch (error) {
    if (error instanceof FingerprintMismatchError) {
      throw new CliError(`${error.message} Nothing was sent.`);
    }
    throw error;
  }
  const limits = await api.config();
  // A request of an organization names it (SPEC F13); one made without an account does not.
  checkAnswerFileLimits(attached, limits, meta.orgName !== undefined);
  // With files the text is optional: a terminal on stdin means there is none.
  const noText = attached.length > 0 && ctx.stdin.isTTY === true;
  if (ctx.stdin.isTTY && !noText) {
    info(ctx, "Type or paste the secret, then press Ctrl-D on an empty line:");
  }
  const read = noText ? null : await readUpTo(ctx.stdin, limits.maxSecretBytes);
  const text = read === null ? "" : read.truncated ? null : decodeUtf8(read.bytes);
  if (text === null || (text === "" && attached.length === 0)) {
    throw new CliError(
      "The input is empty, not UTF-8 or over the server's limit: nothing was sent.",
    );
  }
  const files = attached.map((f) => f.meta);
  const sealed = await sealAnswer(meta.publicKey, { text, ...(files.length ? { files } : {}) });
  const blobs = files.map((f) => ({ id: f.blob, size: encryptedSize(f.size) }));
  const submitted = await api.submitAnswer(link.id, {
    ...sealed,
    ...(blobs.length ? { blobs } : {}),
  });
  if (submitted) {
    await uploadWithRetries(ctx, api, {
      created: { id: link.id, uploadToken: submitted.uploadToken },
      files: attached,
      of: "requests",
    });
  }
  info(ctx, "Sent, end-to-end encrypted: only the requester can read it.");
  return EXIT.ok;
}

/**
 * `request open READING_LINK [--output DIR]`: prints the answer exactly (or `--json` for it with
 * its time) and saves its files into DIR (default: the current folder).
 */
export async function openCommand(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs("request", () =>
    parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        json: { type: "boolean" },
        output: { type: "string", short: "o" },
        force: { type: "boolean" },
      },
      allowPositionals: true,
    }),
  );
  const [arg = ""] = positionals("request", rest, ["READING_LINK"]);
  const dir = values.output ?? ".";
  await writableFolder(dir, values.output !== undefined);
  let parsed: { id: string; readingSecret: string };
  try {
    parsed = parseReadingLink(arg);
  } catch (error) {
    if (error instanceof InvalidLinkError) throw new UsageError(error.message, "request");
    throw error;
  }
  const base = arg.trim().slice(0, arg.trim().indexOf(`/r/${parsed.id}/open`));
  const api = await connect(ctx, { server: values.server, linkBase: base, command: "request" });
  const { readToken } = await deriveReadingKeys(parsed.readingSecret);
  const opened = await api.openRequest(parsed.id, readToken);
  if (!opened.answer) {
    info(
      ctx,
      opened.uploading
        ? "Answered, but its files are still being uploaded: try again in a moment."
        : `Not answered yet. The request expires ${formatDate(opened.expiresAt)}.`,
    );
    return EXIT.notFound;
  }
  let payload;
  try {
    payload = await openAnswer(parsed.readingSecret, opened, opened.answer);
  } catch (error) {
    if (error instanceof RequestKeyError) throw new CliError(error.message);
    throw new CliError("The answer could not be decrypted: it was changed on the server.");
  }
  const { saved, failure } = await saveAll(ctx, api, {
    shareId: parsed.id,
    revealed: opened,
    files: payload.files ?? [],
    dir,
    force: values.force === true,
    of: "requests",
  });
  if (values.json) {
    const files = saved.map(({ name, type, size, path }) => ({ name, type, size, path }));
    ctx.stdout.write(
      jsonLine({
        text: payload.text,
        ...(files.length > 0 ? { files } : {}),
        submittedAt: opened.submittedAt,
      }),
    );
  } else {
    // Whoever had the request link wrote this: exact bytes into a pipe or file, but no escape
    // sequences into the requester's terminal.
    ctx.stdout.write(ctx.stdout.isTTY ? printable(payload.text) : payload.text);
  }
  if (failure) throw failure;
  return EXIT.ok;
}
