import {
  DecryptionError,
  deriveLinkKeys,
  openPayload,
  type SharePayload,
} from "@hushlink/protocol";
import type { RevealBody } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { CliError, EXIT, UsageError } from "../lib/errors.js";
import { checkedCode, emailCodeFor } from "../lib/email-code.js";
import { linkCommandArgs } from "../lib/links.js";
import { sharePasswordKeys } from "../lib/prompt.js";
import { saveAll, writableFolder } from "../lib/file-downloads.js";

export const help = `Usage: hushlink get [options] URL

Opens a share link: uses up one view, decrypts the secret on this computer and prints it on
stdout exactly as it was shared (no newline added). A message from the sender, if any, goes to
stderr, labelled "Message from the sender:", so stdout stays the bare secret. Asks for the password when the secret has
one (on the terminal, or from HUSHLINK_PASSWORD). The server is the link's own, unless
--server says otherwise.

Files of the secret are downloaded, decrypted as they arrive (memory stays small whatever their
size) and written into the folder --output names, or the current folder, under their names made
safe (no folders, no leading dots, no control characters). An existing file is never
overwritten unless --force is given: the new one is saved as "name (1).ext" instead, because the
view is already used. Where each file went is said on stderr.

Options:
  --output DIR      write the secret's files into DIR (default: the current folder); checked
                    before the view is used
  --force           overwrite existing files of the same names
  --email-code CODE the six-digit code e-mailed to you, for a link sent to your address that
                    asks for one. Without it, get e-mails a new code and asks for it on the
                    terminal; with no terminal it exits 4 once the code is sent, to be run
                    again with --email-code
  --json            print {"text": …, "note"?: …, "files"?: [{name, type, size, path}],
                    "viewsRemaining": …} instead of the bare secret
  --server URL      send the requests to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 printed, 2 gone (viewed, expired, deleted or locked; when and why on stderr),
3 unknown link, 4 wrong or missing password or e-mailed code, 5 sign-in required or not allowed.

Examples:
  hushlink get 'https://hush.example.com/s#hJ3…'
  hushlink get "$LINK" > id_ed25519 && chmod 600 id_ed25519
  hushlink get "$LINK" --output ~/Downloads --json | jq -r '.files[].path'
  HUSHLINK_PASSWORD=… hushlink get "$LINK" --json | jq -r .text
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  json: { type: "boolean" },
  output: { type: "string", short: "o" },
  force: { type: "boolean" },
  "email-code": { type: "string" },
} as const;

const GET_ARGS = { command: "get", help, options: OPTIONS } as const;

export async function get(ctx: Context, args: string[]): Promise<number> {
  const parsed = linkCommandArgs(ctx, args, GET_ARGS);
  if (!parsed) return EXIT.ok;
  const { values, link } = parsed;
  if (link.kind === "manage") {
    throw new UsageError(
      "That is a manage link: it can delete the secret (hushlink delete) but not open it.",
      "get",
    );
  }
  if (link.kind === "id") {
    throw new UsageError(
      "That is a share's id: it opens nothing. hushlink get takes the link a recipient was sent.",
      "get",
    );
  }
  const givenCode =
    values["email-code"] === undefined
      ? undefined
      : checkedCode(values["email-code"].trim(), "get");
  // A folder that cannot take the files is found out before the view is used up.
  const dir = values.output ?? ".";
  await writableFolder(dir, values.output !== undefined);
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "get" });
  const keys = await deriveLinkKeys(link.linkSecret);
  // Reading the metadata consumes nothing, and tells whether a password is needed first.
  const metadata = await api.shareMetadata(keys.id);
  const emailCode = metadata.requiresEmailCode
    ? await emailCodeFor(ctx, api, { ...keys, maskedEmail: metadata.maskedEmail }, givenCode, "get")
    : undefined;
  const passwordKeys = await sharePasswordKeys(ctx, link.linkSecret, metadata);
  const body: RevealBody = {
    viewToken: keys.viewToken,
    ...(passwordKeys ? { verifier: passwordKeys.verifier } : {}),
    ...(emailCode ? { emailCode } : {}),
  };
  const passwordKey = passwordKeys?.passwordKey;
  const revealed = await api.revealShare(keys.id, body);
  let payload: SharePayload;
  try {
    payload = await openPayload(link.linkSecret, revealed, passwordKey);
  } catch (error) {
    if (error instanceof DecryptionError) throw new CliError(error.message);
    throw error;
  }

  const { text, note, files = [] } = payload;
  const { saved, failure } = await saveAll(ctx, api, {
    shareId: keys.id,
    revealed,
    files,
    dir,
    force: values.force === true,
  });
  if (values.json) {
    const listed = saved.map(({ name, type, size, path }) => ({ name, type, size, path }));
    ctx.stdout.write(
      `${JSON.stringify({
        text,
        ...(note ? { note } : {}),
        ...(saved.length > 0 ? { files: listed } : {}),
        viewsRemaining: revealed.viewsRemaining,
      })}\n`,
    );
  } else {
    // Before the secret, on stderr: read first (as on the web page), never mixed into stdout.
    if (note) info(ctx, `Message from the sender:\n${note}\n`);
    ctx.stdout.write(text);
    // On a terminal, end the line on stderr so the prompt does not stick to the secret, while
    // stdout stays byte for byte what was shared.
    if (ctx.stdout.isTTY && ctx.stderr.isTTY && !text.endsWith("\n")) ctx.stderr.write("\n");
  }
  const left = revealed.viewsRemaining;
  if (left === 0) info(ctx, "That was the last view: the secret is now destroyed on the server.");
  else if (left !== null) info(ctx, `${left} more view${left === 1 ? "" : "s"} left.`);
  if (failure) throw failure;
  return EXIT.ok;
}
