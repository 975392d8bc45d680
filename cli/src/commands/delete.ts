import { deriveLinkKeys } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS, commandArgs } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { EXIT } from "../lib/errors.js";
import { parseLink } from "../lib/links.js";
import { sharePasswordKeys } from "../lib/prompt.js";

export const help = `Usage: hushlink delete [options] URL

Destroys a secret at once, without reading it. URL is the manage link printed by hushlink
share, or the share link: its holder may destroy the secret when they may open it (signed in for
an organization's or a recipient's secret; the password, on the terminal or from
HUSHLINK_PASSWORD, when it has one).

Options:
  --server URL      send the request to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 deleted, 2 already gone, 3 unknown link, 4 wrong or missing password,
5 sign-in required or not allowed.

Examples:
  hushlink delete 'https://hush.example.com/s#hJ3…'
  hushlink delete 'https://hush.example.com/manage/Qm9…#c2Vj…'
`;

const REMOVE_ARGS = { command: "delete", help, options: COMMON_OPTIONS, names: ["URL"] } as const;

export async function remove(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, REMOVE_ARGS);
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  const [url = ""] = parsed.positionals;
  const link = parseLink(url, "delete");
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "delete" });
  if (link.kind === "manage") {
    await api.deleteShare(link.id, { manageToken: link.manageToken });
  } else {
    const keys = await deriveLinkKeys(link.linkSecret);
    // A link holder deletes under the reveal's rule: a password secret needs its password.
    const passwordKeys = await sharePasswordKeys(
      ctx,
      link.linkSecret,
      await api.shareMetadata(keys.id),
    );
    await api.deleteShare(keys.id, {
      viewToken: keys.viewToken,
      ...(passwordKeys ? { verifier: passwordKeys.verifier } : {}),
    });
  }
  info(ctx, "Deleted: the secret is destroyed and the link no longer opens it.");
  return EXIT.ok;
}
