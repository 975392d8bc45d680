import { parseArgs } from "node:util";

import {
  DecryptionError,
  deriveLinkKeys,
  openPayload,
  type SharePayload,
} from "@hushlink/protocol";
import type { RevealBody } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS, parseCommandArgs, positionals } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { CliError, EXIT, UsageError } from "../lib/errors.js";
import { parseLink } from "../lib/links.js";
import { sharePasswordKeys } from "../lib/prompt.js";

export const help = `Usage: hushlink get [options] URL

Opens a share link: uses up one view, decrypts the secret on this computer and prints it on
stdout exactly as it was shared (no newline added). A message from the sender, if any, goes to
stderr, labelled "Message from the sender:", so stdout stays the bare secret. Asks for the password when the secret has
one (on the terminal, or from HUSHLINK_PASSWORD). The server is the link's own, unless
--server says otherwise.

Options:
  --json            print {"text": …, "note"?: …, "viewsRemaining": …} instead of the bare secret
  --server URL      send the requests to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 printed, 2 gone (viewed, expired, deleted or locked; when and why on stderr),
3 unknown link, 4 wrong or missing password, 5 sign-in required or not allowed.

Examples:
  hushlink get 'https://hush.example.com/s#hJ3…'
  hushlink get "$LINK" > id_ed25519 && chmod 600 id_ed25519
  HUSHLINK_PASSWORD=… hushlink get "$LINK" --json | jq -r .text
`;

const OPTIONS = { ...COMMON_OPTIONS, json: { type: "boolean" } } as const;

export async function get(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs("get", () =>
    parseArgs({ args, options: OPTIONS, allowPositionals: true }),
  );
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  const [url = ""] = positionals("get", rest, ["URL"]);
  const link = parseLink(url, "get");
  if (link.kind === "manage") {
    throw new UsageError(
      "That is a manage link: it can delete the secret (hushlink delete) but not open it.",
      "get",
    );
  }
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "get" });
  const keys = await deriveLinkKeys(link.linkSecret);
  // Reading the metadata consumes nothing, and tells whether a password is needed first.
  const metadata = await api.shareMetadata(keys.id);
  const passwordKeys = await sharePasswordKeys(ctx, link.linkSecret, metadata);
  const body: RevealBody = {
    viewToken: keys.viewToken,
    ...(passwordKeys ? { verifier: passwordKeys.verifier } : {}),
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

  const { text, note } = payload;
  if (values.json) {
    ctx.stdout.write(
      `${JSON.stringify({ text, ...(note ? { note } : {}), viewsRemaining: revealed.viewsRemaining })}\n`,
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
  return EXIT.ok;
}
