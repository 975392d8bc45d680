import { parseArgs } from "node:util";

import { deriveLinkKeys } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS, parseCommandArgs, positionals } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { EXIT } from "../lib/errors.js";
import { parseLink } from "../lib/links.js";

export const help = `Usage: hushlink delete [options] URL

Destroys a secret at once, without reading it. URL is the share link (anyone holding it may
destroy it) or the manage link printed by hushlink share.

Options:
  --server URL      send the request to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 deleted, 2 already gone, 3 unknown link.

Examples:
  hushlink delete 'https://hush.example.com/s#hJ3…'
  hushlink delete 'https://hush.example.com/manage/Qm9…#c2Vj…'
`;

export async function remove(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs("delete", () =>
    parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true }),
  );
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  const [url = ""] = positionals("delete", rest, ["URL"]);
  const link = parseLink(url, "delete");
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "delete" });
  if (link.kind === "manage") {
    await api.deleteShare(link.id, { manageToken: link.manageToken });
  } else {
    const keys = await deriveLinkKeys(link.linkSecret);
    await api.deleteShare(keys.id, { viewToken: keys.viewToken });
  }
  info(ctx, "Deleted: the secret is destroyed and the link no longer opens it.");
  return EXIT.ok;
}
