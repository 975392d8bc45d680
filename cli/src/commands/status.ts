import { deriveLinkKeys } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS, formatViews, commandArgs } from "../lib/args.js";
import type { Context } from "../lib/context.js";
import { EXIT, formatDate } from "../lib/errors.js";
import { parseLink } from "../lib/links.js";
import { jsonLine, printable } from "../lib/terminal.js";

export const help = `Usage: hushlink status [options] URL

Shows what the server knows about a secret without using up a view: whether it still exists,
when it expires, how many views are left and whether it needs a password. With a manage link
it also shows the name, views used and, once gone, when and why.

Options:
  --json            print the server's answer as JSON
  --server URL      send the request to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 shown, 2 gone (when and why on stderr), 3 unknown link.

Examples:
  hushlink status 'https://hush.example.com/s#hJ3…'
  hushlink status --json "$LINK" | jq .viewsRemaining
`;

const OPTIONS = { ...COMMON_OPTIONS, json: { type: "boolean" } } as const;

function row(label: string, value: string): string {
  return `${`${label}:`.padEnd(12)}${value}\n`;
}

const STATUS_ARGS = { command: "status", help, options: OPTIONS, names: ["URL"] } as const;

export async function status(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, STATUS_ARGS);
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  const [url = ""] = parsed.positionals;
  const link = parseLink(url, "status");
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "status" });

  if (link.kind === "manage") {
    const manage = await api.manageShare(link.id, link.manageToken);
    if (values.json) {
      ctx.stdout.write(jsonLine(manage));
      return EXIT.ok;
    }
    let out = row("Status", manage.status);
    if (manage.name) out += row("Name", manage.name);
    if (manage.createdAt) out += row("Created", formatDate(manage.createdAt));
    if (manage.expiresAt) out += row("Expires", formatDate(manage.expiresAt));
    out += row(
      "Views",
      `${manage.viewCount} of ${manage.maxViews === null ? "unlimited" : manage.maxViews} used`,
    );
    if (manage.goneAt) out += row("Gone since", formatDate(manage.goneAt));
    ctx.stdout.write(printable(out));
    return EXIT.ok;
  }

  const keys = await deriveLinkKeys(link.linkSecret);
  const metadata = await api.shareMetadata(keys.id);
  if (values.json) {
    ctx.stdout.write(jsonLine(metadata));
    return EXIT.ok;
  }
  ctx.stdout.write(
    printable(
      row("Status", "active") +
        row("Expires", formatDate(metadata.expiresAt)) +
        row("Views left", formatViews(metadata.viewsRemaining)) +
        row("Password", metadata.requiresPassword ? "required" : "none") +
        row(
          "Access",
          metadata.access === "anyone" ? "anyone with the link" : "organization members",
        ),
    ),
  );
  return EXIT.ok;
}
